package io.gosync.relay.wire;

import io.gosync.protocol.BlockList;
import io.gosync.protocol.BlockList;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The blocks of a large file that a delta frame carries (issue 13): the receivers hold the others in their old
 * version and copy them from there. Blocks are the file's {@link BlockList} blocks, so their size follows from the
 * file's size. Immutable. Its one encoding, inside the file frame (see {@link Frames}): the count (int) and the
 * block numbers (int each), strictly ascending.
 */
public final class DeltaBlocks {

  /** A run of consecutive blocks: where it starts in the file and in the stream's bytes of the file, its length. */
  public record Span(long fileOffset, long streamOffset, long length) {
  }

  private final long fileSize;
  private final int blockSize;
  private final int[] blocks;

  private DeltaBlocks(long fileSize, int blockSize, int[] blocks) {
    this.fileSize = fileSize;
    this.blockSize = blockSize;
    this.blocks = blocks;
  }

  /**
   * The blocks set in {@code missing} of a file of {@code fileSize} bytes.
   *
   * @throws IllegalArgumentException naming what is wrong (see {@link #trouble})
   */
  public static DeltaBlocks of(long fileSize, BitSet missing) {
    return of(fileSize, missing.stream().toArray());
  }

  private static DeltaBlocks of(long fileSize, int[] blocks) {
    String trouble = countTrouble(fileSize, blocks.length);
    for (int i = 0; trouble == null && i < blocks.length; i++) {
      if (blocks[i] < 0 || blocks[i] >= blockCount(fileSize) || (i > 0 && blocks[i] <= blocks[i - 1])) {
        trouble = "block " + blocks[i] + " out of order or beyond the file's " + blockCount(fileSize);
      }
    }
    if (trouble != null) {
      throw new IllegalArgumentException("delta blocks: " + trouble);
    }
    return new DeltaBlocks(fileSize, BlockList.blockSize(fileSize), blocks.clone());
  }

  /**
   * Why a delta of {@code count} blocks cannot be of a file of {@code fileSize} bytes, or null: checked before the
   * block numbers are read (and allocated for). A delta is of a large file, and sends some of its blocks, not all
   * (none for a file cut at a block's end).
   */
  static String countTrouble(long fileSize, int count) {
    if (fileSize <= Frames.SMALL_FILE || fileSize > BlockList.MAX_FILE_SIZE) {
      return "a file of " + fileSize + " bytes is sent whole";
    }
    if (count < 0 || count >= blockCount(fileSize)) {
      return count + " blocks of a file of " + blockCount(fileSize);
    }
    return null;
  }

  private static int blockCount(long fileSize) {
    return BlockList.count(fileSize, BlockList.blockSize(fileSize));
  }

  /** The bytes the stream carries: the blocks' lengths, the file's last block perhaps short. */
  public long bytes() {
    long total = 0;
    for (int block : blocks) {
      total += length(block);
    }
    return total;
  }

  public int count() {
    return blocks.length;
  }

  /** The blocks as runs of consecutive ones, in order. */
  public List<Span> spans() {
    List<Span> spans = new ArrayList<>();
    long streamAt = 0;
    for (int i = 0; i < blocks.length; ) {
      int j = i;
      while (j + 1 < blocks.length && blocks[j + 1] == blocks[j] + 1) {
        j++;
      }
      long offset = (long) blocks[i] * blockSize;
      long length = (long) blocks[j] * blockSize + length(blocks[j]) - offset;
      spans.add(new Span(offset, streamAt, length));
      streamAt += length;
      i = j + 1;
    }
    return spans;
  }

  /** The blocks as a set of block numbers. */
  public BitSet asBitSet() {
    BitSet set = new BitSet();
    Arrays.stream(blocks).forEach(set::set);
    return set;
  }

  private long length(int block) {
    return Math.min(blockSize, fileSize - (long) block * blockSize);
  }

  /** The count and the block numbers. */
  Buffer encode() {
    Buffer encoded = Buffer.buffer(4 + 4 * blocks.length).appendInt(blocks.length);
    Arrays.stream(blocks).forEach(encoded::appendInt);
    return encoded;
  }

  /** Reads the block numbers that follow a count already checked by {@link #countTrouble}. */
  static DeltaBlocks decode(long fileSize, Buffer numbers) {
    int[] blocks = new int[numbers.length() / 4];
    for (int i = 0; i < blocks.length; i++) {
      blocks[i] = numbers.getInt(4 * i);
    }
    return of(fileSize, blocks);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DeltaBlocks that && fileSize == that.fileSize && Arrays.equals(blocks, that.blocks);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(fileSize) + Arrays.hashCode(blocks);
  }

  @Override
  public String toString() {
    return "DeltaBlocks" + Arrays.toString(blocks) + " of " + fileSize + " bytes";
  }
}
