package io.gosync.scan;

import io.gosync.fs.Dir;
import io.gosync.scan.BlockHashes.Hashed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The block cache outlives its daemon in a file; a file that is not a good one is ignored, with one log line that
 * names the damage, and the cache starts empty.
 */
class BlockCacheFileTest {

  private static final InstantSource LATER =
      InstantSource.offset(Clock.systemUTC(), Duration.ofSeconds(HashCache.SETTLE_SECONDS + 1));
  private static final int MIB = 1 << 20;
  /** Sizes of the tree's files, least recently read first: 2, 3, 2, 4 and 2 blocks. */
  private static final int[] SIZES = {MIB + 1, 3 * MIB, MIB + 17, 4 * MIB - 5, 2 * MIB};
  private static final long TREE_BYTES = MIB + 1 + 3 * MIB + MIB + 17 + 4 * MIB - 5 + 2 * MIB;
  /** The header for "node0": magic, format, the name (2 + 5 bytes) and the count; then the first record. */
  private static final int FIRST_RECORD = 4 + 4 + 7 + 4;
  /** In a record: device, inode, mtime, ctime, the whole-file hash; then the list's file size and block size. */
  private static final int LIST = 8 + 8 + 12 + 12 + 32;

  @TempDir
  Path base;
  private Path tree;
  private Path state;
  private final StateFileLog log = new StateFileLog();

  @BeforeEach
  void filesAndLog() throws IOException {
    tree = Files.createDirectories(base.resolve("tree"));
    state = base.resolve("state");
    Random random = new Random(13);
    for (int i = 0; i < SIZES.length; i++) {
      byte[] bytes = new byte[SIZES[i]];
      random.nextBytes(bytes);
      Files.write(tree.resolve("f" + i), bytes);
    }
    log.attach();
  }

  @AfterEach
  void detachLog() {
    log.detach();
  }

  @Test
  void aSavedCacheIsRestoredSoThatNoFileIsReadAgain() throws IOException {
    BlockCache before = new BlockCache(1 << 20, LATER);
    List<Hashed> read = readAll(before);
    BlockCacheFile file = new BlockCacheFile(state, "node0");
    assertTrue(file.saveChanges(before));

    BlockCache after = new BlockCache(1 << 20, LATER);
    assertEquals(5, new BlockCacheFile(state, "node0").restoreInto(after));

    LongAdder bytes = new LongAdder();
    assertEquals(read, readAll(after, bytes));
    assertEquals(0, bytes.sum());
    assertEquals(before.heldBytes(), after.heldBytes());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path())));
    assertFalse(Files.exists(state.resolve("block-cache-node0.tmp")), "the temporary file was left behind");
  }

  @Test
  void theFileHoldsEachRecordAsItsHeaderSaysAndNothingElse() throws IOException {
    saved();
    long hashes = 32L * (2 + 3 + 2 + 4 + 2);

    assertEquals(FIRST_RECORD + 5L * (LIST + 12) + hashes + 4, Files.size(state.resolve("block-cache-node0")));
  }

  @Test
  void aCacheThatDidNotChangeIsNotWrittenAgain() throws IOException {
    BlockCache cache = new BlockCache(1 << 20, LATER);
    readAll(cache);
    BlockCacheFile file = new BlockCacheFile(state, "node0");
    file.saveChanges(cache);
    Files.delete(file.path());

    assertTrue(file.saveChanges(cache));

    assertFalse(Files.exists(file.path()));
  }

  @Test
  void aFileChangedAfterTheRestoreIsReadAgain() throws IOException {
    saved();
    Path changed = tree.resolve("f3");
    var mtime = Files.getLastModifiedTime(changed);
    Files.write(changed, new byte[SIZES[3]]);
    Files.setLastModifiedTime(changed, mtime);

    BlockCache after = new BlockCache(1 << 20, LATER);
    new BlockCacheFile(state, "node0").restoreInto(after);

    LongAdder bytes = new LongAdder();
    readAll(after, bytes);
    assertEquals(SIZES[3], bytes.sum());
  }

  @Test
  void aSmallerBudgetRestoresTheMostRecentlyUsedEntriesThatFit() throws IOException {
    saved();
    long lastTwo = 2 * BlockCache.BYTES_PER_ENTRY + 32 * (4 + 2);

    BlockCache after = new BlockCache(lastTwo + 100, LATER);
    assertEquals(2, new BlockCacheFile(state, "node0").restoreInto(after));

    assertEquals(0, bytesRead(after, "f4") + bytesRead(after, "f3"));
    assertEquals(SIZES[2], bytesRead(after, "f2"));
  }

  /** Damage at the start (magic), in the node's name, in a record, deep in a list, in the checksum; cut; grown. */
  @ParameterizedTest
  @ValueSource(strings = {"flip:0", "flip:11", "flip:40", "flip:300", "flip:-1", "truncate", "append"})
  void aDamagedFileIsIgnoredWithOneLogLineAndTheCacheStartsEmpty(String damage) throws IOException {
    saved();
    damage(state.resolve("block-cache-node0"), damage);

    BlockCache after = new BlockCache(1 << 20, LATER);
    assertEquals(0, new BlockCacheFile(state, "node0").restoreInto(after));

    assertEquals(0, after.size());
    assertEquals(1, log.warnings().size(), log.warnings()::toString);
    assertTrue(log.warnings().get(0).contains("ignored, starting with an empty cache"), log.warnings()::toString);
    LongAdder bytes = new LongAdder();
    readAll(after, bytes);
    assertEquals(TREE_BYTES, bytes.sum());
  }

  /** Every bit of the file, one at a time: the checksum names each flip, whatever value the flip makes. */
  @Test
  void everyFlippedBitIsNamedAsDamage() throws IOException {
    saved();
    Path path = state.resolve("block-cache-node0");
    byte[] good = Files.readAllBytes(path);
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      int at = i < 100 ? i : random.nextInt(good.length);
      byte[] bad = good.clone();
      bad[at] ^= (byte) (1 << random.nextInt(8));
      Files.write(path, bad);

      assertEquals(0, new BlockCacheFile(state, "node0").restoreInto(new BlockCache(1 << 20, LATER)));
      assertTrue(log.warnings().get(i).endsWith("its checksum does not match its contents"), log.warnings()::toString);
    }
  }

  @Test
  void aFileCutAnywhereIsIgnored() throws IOException {
    saved();
    Path path = state.resolve("block-cache-node0");
    byte[] good = Files.readAllBytes(path);
    for (int length : new int[] {0, 3, 4, FIRST_RECORD, FIRST_RECORD + LIST + 5, good.length - 33, good.length - 1}) {
      Files.write(path, Arrays.copyOf(good, length));

      assertEquals(0, new BlockCacheFile(state, "node0").restoreInto(new BlockCache(1 << 20, LATER)));
    }
    assertEquals(7, log.warnings().size(), log.warnings()::toString);
  }

  /**
   * A field made wrong with the checksum made right again, as a writer with a bug or a foreign tool would: each
   * is named. The offsets are of the "node0" file: magic 0, format 4, name 10, count 15, the first record 19, its
   * nanoseconds of mtime 43 and of ctime 55, its list's file size 91 and block size 99.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0 | 4 | 47534843 | it is not a gosync block cache",
      "4 | 4 | 00000002 | its format is 2, this gosync reads 1",
      "10 | 5 | 6e6f646531 | it is node node1's, not node0's",
      "15 | 4 | 00000006 | does not fit its 6 entries",
      "15 | 4 | 00000004 | does not fit its 4 entries",
      "15 | 4 | ffffffff | does not fit its -1 entries",
      "15 | 4 | 7fffffff | does not fit its 2147483647 entries",
      "43 | 4 | 3b9aca00 | it holds a time of 1000000000 nanoseconds",
      "55 | 4 | ffffffff | it holds a time of -1 nanoseconds",
      "91 | 8 | 0000000000100000 | it holds a block list of a file of 1048576 bytes",
      "91 | 8 | 0000040000000001 | it holds a block list of a file of 4398046511105 bytes",
      "99 | 4 | 00200000 | it holds a bad block list: block size 2097152 is not the 1048576 of a file of 1048577 bytes",
  })
  void aWrongFieldWithARightChecksumIsNamed(int at, int length, String hex, String named) throws IOException {
    saved();
    Path path = state.resolve("block-cache-node0");
    byte[] bytes = Files.readAllBytes(path);
    byte[] field = HexFormat.of().parseHex(hex);
    assertEquals(length, field.length);
    System.arraycopy(field, 0, bytes, at, length);
    Files.write(path, withChecksum(bytes));

    assertEquals(0, new BlockCacheFile(state, "node0").restoreInto(new BlockCache(1 << 20, LATER)));

    assertEquals(1, log.warnings().size(), log.warnings()::toString);
    assertTrue(log.warnings().get(0).endsWith(named), log.warnings()::toString);
  }

  @Test
  void aFileFromAFutureFormatIsIgnoredAndSaysWhichFormat() throws IOException {
    saved();
    Path path = state.resolve("block-cache-node0");
    byte[] bytes = Files.readAllBytes(path);
    ByteBuffer.wrap(bytes).putInt(4, 2);
    Files.write(path, withChecksum(bytes));

    assertEquals(0, new BlockCacheFile(state, "node0").restoreInto(new BlockCache(1 << 20, LATER)));

    assertTrue(log.warnings().get(0).endsWith("its format is 2, this gosync reads 1"), log.warnings()::toString);
  }

  @Test
  void aHashCacheFileIsNotTakenForABlockCache() throws IOException {
    HashCache hashes = new HashCache(100, LATER);
    try (Dir handle = Dir.open(tree.toRealPath(), false)) {
      hashes.hash(handle, "f0", handle.stat("f0"));
    }
    new HashCacheFile(state, "node0").saveChanges(hashes);
    Files.move(state.resolve("hash-cache-node0"), state.resolve("block-cache-node0"));

    assertEquals(0, new BlockCacheFile(state, "node0").restoreInto(new BlockCache(1 << 20, LATER)));

    assertTrue(log.warnings().get(0).endsWith("it is not a gosync block cache"), log.warnings()::toString);
  }

  @Test
  void anotherNodesFileIsIgnoredAndSaysWhose() throws IOException {
    BlockCache theirs = new BlockCache(1 << 20, LATER);
    readAll(theirs);
    new BlockCacheFile(state, "node1").saveChanges(theirs);
    Files.move(state.resolve("block-cache-node1"), state.resolve("block-cache-node0"));

    assertEquals(0, new BlockCacheFile(state, "node0").restoreInto(new BlockCache(1 << 20, LATER)));

    assertTrue(log.warnings().get(0).contains("node1's, not node0's"), log.warnings()::toString);
  }

  @Test
  void anUnwritableStateDirectoryIsLoggedOnceAndTheCacheStillWorks() throws IOException {
    Path blocked = Files.writeString(base.resolve("a-file"), "not a directory").resolve("state");
    BlockCacheFile file = new BlockCacheFile(blocked, "node0");
    BlockCache cache = new BlockCache(1 << 20, LATER);
    readAll(cache);

    assertFalse(file.saveChanges(cache));
    Files.write(tree.resolve("f5"), new byte[MIB + 1]);
    bytesRead(cache, "f5");
    assertFalse(file.saveChanges(cache));

    assertEquals(1, log.warnings().size(), log.warnings()::toString);
    assertTrue(log.warnings().get(0).contains("not saved to " + blocked.resolve("block-cache-node0")), log.warnings()::toString);
    LongAdder bytes = new LongAdder();
    readAll(cache, bytes);
    assertEquals(0, bytes.sum());
  }

  @Test
  void noFileYetIsAnEmptyCacheWithoutAWarning() {
    assertEquals(0, new BlockCacheFile(state, "node0").restoreInto(new BlockCache(1 << 20, LATER)));
    assertEquals(List.of(), log.warnings());
  }

  /** Reads the tree into a cache and saves it as node0's. */
  private void saved() throws IOException {
    BlockCache before = new BlockCache(1 << 20, LATER);
    readAll(before);
    assertTrue(new BlockCacheFile(state, "node0").saveChanges(before));
  }

  private static byte[] withChecksum(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
    return bytes;
  }

  private static void damage(Path file, String how) throws IOException {
    try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
      if (how.equals("truncate")) {
        raw.setLength(raw.length() - 7);
      } else if (how.equals("append")) {
        raw.seek(raw.length());
        raw.write(0);
      } else {
        int at = Integer.parseInt(how.substring("flip:".length()));
        long position = at >= 0 ? at : raw.length() + at;
        raw.seek(position);
        int b = raw.read();
        raw.seek(position);
        raw.write(b ^ 0x10);
      }
    }
  }

  private List<Hashed> readAll(BlockCache cache) throws IOException {
    return readAll(cache, new LongAdder());
  }

  /** Reads f0 to f4 in order, so that f0 is the least recently used. */
  private List<Hashed> readAll(BlockCache cache, LongAdder bytes) throws IOException {
    List<Hashed> all = new ArrayList<>();
    try (Dir handle = Dir.open(tree.toRealPath(), false)) {
      for (int i = 0; i < SIZES.length; i++) {
        all.add(cache.hashed(handle, "f" + i, handle.stat("f" + i), bytes));
      }
    }
    return all;
  }

  private long bytesRead(BlockCache cache, String name) throws IOException {
    LongAdder read = new LongAdder();
    try (Dir handle = Dir.open(tree.toRealPath(), false)) {
      cache.hashed(handle, name, handle.stat(name), read);
    }
    return read.sum();
  }
}
