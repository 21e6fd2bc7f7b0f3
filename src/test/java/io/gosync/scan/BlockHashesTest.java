package io.gosync.scan;

import io.gosync.protocol.BlockList;
import io.gosync.fs.Dir;
import io.gosync.fs.OpenFile;
import io.gosync.scan.BlockHashes.ChangedWhileRead;
import io.gosync.scan.BlockHashes.Hashed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One read of a real file gives FileFacts' whole-file hash and the hash of each byte range of its blocks. */
class BlockHashesTest {

  private static final int MIB = 1 << 20;

  @TempDir
  Path dir;

  /**
   * Empty; shorter than one read; one block less a byte, exactly, one byte over; a multiple of the block size
   * (no empty last block); and a short last block that ends inside a read.
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 100_000, MIB - 1, MIB, MIB + 1, 3 * MIB, 3 * MIB + 12_345})
  void eachBlockHashIsTheSha256OfItsByteRangeAndTheWholeHashIsFileFacts(int size) throws IOException {
    byte[] bytes = write("f", size, size);

    LongAdder read = new LongAdder();
    Hashed hashed = read("f", size, read);

    BlockList blocks = hashed.blocks();
    assertEquals(size, blocks.fileSize());
    assertEquals((size + MIB - 1) / MIB, blocks.count());
    for (int i = 0; i < blocks.count(); i++) {
      assertArrayEquals(sha256(bytes, (int) blocks.offset(i), blocks.length(i)), blocks.hash(i), "block " + i);
    }
    assertEquals(HexFormat.of().formatHex(sha256(bytes, 0, size)), hashed.hash());
    try (Dir parent = Dir.open(dir.toRealPath(), false); OpenFile file = parent.open("f")) {
      assertEquals(FileFacts.hash(file), hashed.hash());
    }
    assertEquals(size, read.sum());
  }

  @Test
  void aChangedByteChangesTheHashOfItsBlockOnly() throws IOException {
    write("f", 3 * MIB + 7, 1);
    Hashed before = read("f", 3 * MIB + 7, new LongAdder());
    try (RandomAccessFile raw = new RandomAccessFile(dir.resolve("f").toFile(), "rw")) {
      raw.seek(MIB + 5);
      int b = raw.read();
      raw.seek(MIB + 5);
      raw.write(b ^ 1);
    }

    Hashed after = read("f", 3 * MIB + 7, new LongAdder());

    assertTrue(after.blocks().sameHash(0, before.blocks(), 0));
    assertFalse(after.blocks().sameHash(1, before.blocks(), 1));
    assertTrue(after.blocks().sameHash(2, before.blocks(), 2));
    assertTrue(after.blocks().sameHash(3, before.blocks(), 3));
    assertNotEquals(before.hash(), after.hash());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, MIB - 1, MIB, MIB + 1})
  void aFileShorterThanItsSizeFailsAndSaysWhereItEnded(int missing) throws IOException {
    write("f", 2 * MIB + 10 - missing, 2);

    ChangedWhileRead e = assertThrows(ChangedWhileRead.class, () -> read("f", 2 * MIB + 10, new LongAdder()));

    assertEquals("changed while it was read (it ended after " + (2 * MIB + 10 - missing) + " of its "
        + (2 * MIB + 10) + " bytes)", e.getMessage());
  }

  @Test
  void anEmptyFileGivenASizeFails() throws IOException {
    write("f", 0, 3);

    ChangedWhileRead e = assertThrows(ChangedWhileRead.class, () -> read("f", MIB, new LongAdder()));

    assertTrue(e.getMessage().contains("it ended after 0 of its 1048576 bytes"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, MIB, MIB + 1})
  void aFileLongerThanItsSizeFails(int size) throws IOException {
    write("f", size + 1, 4);

    ChangedWhileRead e = assertThrows(ChangedWhileRead.class, () -> read("f", size, new LongAdder()));

    assertEquals("changed while it was read (longer than its " + size + " bytes)", e.getMessage());
  }

  @Test
  void aSizeWithoutABlockListIsRefusedBeforeAByteIsRead() throws IOException {
    write("f", 10, 5);
    LongAdder read = new LongAdder();

    assertThrows(IllegalArgumentException.class, () -> read("f", -1, read));
    assertThrows(IllegalArgumentException.class, () -> read("f", BlockList.MAX_FILE_SIZE + 1, read));
    assertEquals(0, read.sum());
  }

  @Test
  void theReadBufferOfOneFileDoesNotLeakIntoTheNext() throws IOException {
    write("long", 2 * MIB, 6);
    byte[] shortBytes = write("short", MIB + 3, 7);
    read("long", 2 * MIB, new LongAdder());

    Hashed hashed = read("short", MIB + 3, new LongAdder());

    assertArrayEquals(sha256(shortBytes, MIB, 3), hashed.blocks().hash(1));
  }

  private byte[] write(String name, int size, long seed) throws IOException {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    Files.write(dir.resolve(name), bytes);
    return bytes;
  }

  private Hashed read(String name, long size, LongAdder read) throws IOException {
    try (Dir parent = Dir.open(dir.toRealPath(), false); OpenFile file = parent.open(name)) {
      return BlockHashes.read(file, size, read);
    }
  }

  private static byte[] sha256(byte[] bytes, int offset, int length) {
    MessageDigest digest = FileFacts.sha256();
    digest.update(bytes, offset, length);
    return digest.digest();
  }
}
