package io.gosync.scan;

import io.gosync.fs.Stat;
import io.gosync.fs.Timestamp;
import io.gosync.protocol.BlockList;
import io.gosync.testkit.Bits;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 13: how a target's old version serves a new one, block by block, and when it is not worth it. */
class BasisTest {

  private static final int MIB = 1 << 20;
  private static final Stat OLD = new Stat(Stat.Kind.FILE, 0644, 0, Timestamp.ofEpochNanos(1), Timestamp.ofEpochNanos(1),
      1, 2, 1);

  /** A list of a file of {@code size} bytes whose block i has the hash "i", or the given ids' hashes in order. */
  private static BlockList list(long size, int... ids) {
    int count = BlockList.count(size, BlockList.blockSize(size));
    ByteBuffer hashes = ByteBuffer.allocate(count * BlockList.HASH_BYTES);
    for (int i = 0; i < count; i++) {
      hashes.putInt(i * BlockList.HASH_BYTES, i < ids.length ? ids[i] : i);
    }
    return BlockList.of(size, hashes.array());
  }

  @Test
  void blocksInTheirPlaceOrMovedAreCopiedAndOthersAreMissing() {
    BlockList old = list(6L * MIB, 0, 1, 2, 3, 4, 5);
    BlockList wanted = list(6L * MIB, 0, 9, 2, 5, 4, 5);

    Basis basis = Basis.compare(OLD, old, wanted);

    assertEquals(Bits.of(1), basis.missing());
    assertEquals(5, basis.source(3), "block 3 is old block 5, moved");
    assertEquals(5, basis.source(5));
    assertEquals(5L * MIB, basis.keptBytes());
    assertEquals(OLD, basis.old());
  }

  /** The last block of a longer old version is a whole block: a short new last block cannot be it. */
  @Test
  void aShortLastBlockIsMissingUnlessItIsTheOldOnesOfTheSameLength() {
    Basis cut = Basis.compare(OLD, list(4L * MIB), list(3L * MIB + 10));
    assertEquals(Bits.of(3), cut.missing());
    assertEquals(3L * MIB, cut.keptBytes());

    Basis same = Basis.compare(OLD, list(3L * MIB + 10), list(3L * MIB + 10));
    assertEquals(Bits.of(), same.missing());
  }

  @Test
  void anOldVersionThatHoldsLessThanHalfIsNoBasis() {
    assertNull(Basis.compare(OLD, list(4L * MIB, 0, 1, 2, 3), list(4L * MIB, 0, 7, 8, 9)));
    assertEquals(Bits.of(2, 3), Basis.compare(OLD, list(4L * MIB, 0, 1, 2, 3), list(4L * MIB, 0, 1, 8, 9)).missing());
  }

  @Test
  void onlyLargeFilesOfOneBlockSizeServeEachOther() {
    assertTrue(Basis.mayServe(MIB + 1, 4L << 30));
    assertFalse(Basis.mayServe(MIB, 8L * MIB), "a small old version");
    assertFalse(Basis.mayServe(8L * MIB, MIB), "a small new version");
    assertFalse(Basis.mayServe(4L << 30, (4L << 30) + 1), "2 MiB blocks beyond 4 GiB");
    assertFalse(Basis.mayServe(8L * MIB, BlockList.MAX_FILE_SIZE + 1), "no list");
  }
}
