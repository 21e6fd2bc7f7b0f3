package io.gosync.scan;

import io.gosync.protocol.BlockList;
import io.gosync.fs.Stat;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * A target's old version of a needed large file, and how the new version is built from it (issue 13): for each
 * block of the new version, the old version's block with the same hash, or none, for a block the stream must
 * bring. {@code old} is the old file's stat when its blocks were compared: it is rebuilt from only while its stat
 * is still that. Immutable.
 */
public final class Basis {

  private final Stat old;
  private final BlockList wanted;
  /** For each block of the new version, the old version's block with its hash, or -1. */
  private final int[] sources;

  private Basis(Stat old, BlockList wanted, int[] sources) {
    this.old = old;
    this.wanted = wanted;
    this.sources = sources;
  }

  /**
   * Whether an old version of {@code oldSize} bytes may serve a new one of {@code newSize}: both large (small files
   * are sent whole), both with block lists of the same block size (they differ only beyond 4 GiB).
   */
  public static boolean mayServe(long oldSize, long newSize) {
    return oldSize > BlockCache.SMALL_FILE && newSize > BlockCache.SMALL_FILE && oldSize <= BlockList.MAX_FILE_SIZE
        && newSize <= BlockList.MAX_FILE_SIZE && BlockList.blockSize(oldSize) == BlockList.blockSize(newSize);
  }

  /**
   * Which blocks of {@code wanted} the old version {@code old}, of stat {@code oldStat}, holds: the block at the same
   * place if it has the same hash, else any with it. Null when the old version would save less than half of the
   * new one's bytes: the file is sent whole then, which costs the receiver no old blocks to copy.
   */
  public static Basis compare(Stat oldStat, BlockList old, BlockList wanted) {
    Map<ByteBuffer, Integer> byHash = new HashMap<>();
    for (int j = old.count() - 1; j >= 0; j--) {
      byHash.put(ByteBuffer.wrap(old.hash(j)), j); // the first of equal blocks wins
    }
    int[] sources = new int[wanted.count()];
    for (int i = 0; i < sources.length; i++) {
      sources[i] = i < old.count() && wanted.sameHash(i, old, i) ? i : byHash.getOrDefault(ByteBuffer.wrap(wanted.hash(i)), -1);
      if (sources[i] >= 0 && old.length(sources[i]) != wanted.length(i)) {
        sources[i] = -1; // a short last block can share no hash with a whole one, short of a SHA-256 collision
      }
    }
    Basis basis = new Basis(oldStat, wanted, sources);
    return basis.keptBytes() * 2 < wanted.fileSize() ? null : basis;
  }

  /** The old file's stat when it was compared. */
  public Stat old() {
    return old;
  }

  /** The new version's block list. */
  public BlockList wanted() {
    return wanted;
  }

  /** The old version's block that block {@code i} of the new version is copied from, or -1 if it comes in the stream. */
  public int source(int i) {
    return sources[i];
  }

  /** The blocks of the new version the stream must bring. */
  public BitSet missing() {
    BitSet missing = new BitSet(sources.length);
    for (int i = 0; i < sources.length; i++) {
      if (sources[i] < 0) {
        missing.set(i);
      }
    }
    return missing;
  }

  /** The bytes copied from the old version. */
  public long keptBytes() {
    long kept = 0;
    for (int i = 0; i < sources.length; i++) {
      kept += sources[i] >= 0 ? wanted.length(i) : 0;
    }
    return kept;
  }
}
