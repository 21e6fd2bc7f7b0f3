package io.gosync.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * The block hashes of one version of a large file (issue 13): the file cut into blocks of one fixed size, the
 * last one short if the size is not a multiple of it, and the SHA-256 of each. What the source offers for a
 * changed file and what a target compares with the blocks of the version it holds. Immutable and equal by
 * content; {@link #toBytes} and {@link #fromBytes} are its one codec, for the wire and for the block cache file:
 * the file size (8 bytes), the block size (4), then the hashes (32 bytes each).
 */
public final class BlockList {

  public static final int HASH_BYTES = 32;
  /**
   * Blocks are 1 MiB until a file has {@link #MAX_BLOCKS} of them (4 GiB), then as few times larger as keeps it
   * at that many. 1 MiB is the wire's small-file limit, so a block is never smaller than what is sent whole,
   * and a 1 MiB change in a 1 GiB file costs one or two blocks (1 to 2 MiB) and a list of 32 KiB.
   */
  public static final int MIN_BLOCK_SIZE = 1 << 20;
  /** At most 4,096 blocks, so that a list is at most 128 KiB (32 bytes a block), whatever the file's size. */
  public static final int MAX_BLOCKS = 4096;
  /** The largest power of two an int holds. */
  static final int MAX_BLOCK_SIZE = 1 << 30;
  /** 4 TiB, the largest file whose blocks of at most 1 GiB number at most 4,096; a larger one is sent whole. */
  public static final long MAX_FILE_SIZE = (long) MAX_BLOCK_SIZE * MAX_BLOCKS;
  /** The file size and the block size before the hashes. */
  public static final int HEADER_BYTES = 8 + 4;
  /** The longest encoding: a cap for whoever reads one from a peer or a file, before allocating it. */
  public static final int MAX_ENCODED_BYTES = HEADER_BYTES + MAX_BLOCKS * HASH_BYTES;

  private final long fileSize;
  private final int blockSize;
  /** The hash of block i at 32 * i; never handed out. */
  private final byte[] hashes;

  private BlockList(long fileSize, int blockSize, byte[] hashes) {
    this.fileSize = fileSize;
    this.blockSize = blockSize;
    this.hashes = hashes;
  }

  /**
   * The block size of a file of {@code fileSize} bytes: 1 MiB up to 4 GiB, else the smallest power of two that
   * cuts the file into at most {@link #MAX_BLOCKS} blocks.
   *
   * @throws IllegalArgumentException for a negative size or one over {@link #MAX_FILE_SIZE}
   */
  public static int blockSize(long fileSize) {
    if (fileSize < 0 || fileSize > MAX_FILE_SIZE) {
      throw new IllegalArgumentException("a file of " + fileSize + " bytes has no block list (0 to "
          + MAX_FILE_SIZE + " bytes have one)");
    }
    long least = (fileSize + MAX_BLOCKS - 1) / MAX_BLOCKS;
    if (least <= MIN_BLOCK_SIZE) {
      return MIN_BLOCK_SIZE;
    }
    return (int) (Long.highestOneBit(least - 1) << 1);
  }

  /**
   * How many blocks a file of {@code fileSize} bytes has in blocks of {@code blockSize}, which must be its
   * {@link #blockSize}: an empty file has none, and a size that is a multiple of the block size no empty last one.
   *
   * @throws IllegalArgumentException naming the size or the block size that is wrong
   */
  public static int count(long fileSize, int blockSize) {
    int expected = blockSize(fileSize);
    if (blockSize != expected) {
      throw new IllegalArgumentException("block size " + blockSize + " is not the " + expected + " of a file of "
          + fileSize + " bytes");
    }
    return (int) ((fileSize + blockSize - 1) / blockSize);
  }

  /**
   * The list of a file of {@code fileSize} bytes whose block hashes, in order, are {@code hashes} (copied).
   *
   * @throws IllegalArgumentException when the size has no block list or the hashes are not one per block
   */
  public static BlockList of(long fileSize, byte[] hashes) {
    int blockSize = blockSize(fileSize);
    int count = count(fileSize, blockSize);
    if (hashes.length != count * HASH_BYTES) {
      throw new IllegalArgumentException(hashes.length + " bytes of hashes for a file of " + fileSize
          + " bytes, which has " + count + " blocks of " + blockSize + " (" + count * HASH_BYTES + " bytes of hashes)");
    }
    return new BlockList(fileSize, blockSize, hashes.clone());
  }

  /**
   * Decodes what {@link #toBytes} wrote.
   *
   * @throws IllegalArgumentException naming what is wrong: the length, the file size, the block size (it must be
   * the one {@link #blockSize} gives for the file size) or the number of hashes
   */
  public static BlockList fromBytes(byte[] b) {
    if (b.length < HEADER_BYTES || b.length > MAX_ENCODED_BYTES || (b.length - HEADER_BYTES) % HASH_BYTES != 0) {
      throw new IllegalArgumentException("a block list of " + b.length + " bytes: not a " + HEADER_BYTES
          + "-byte header and whole " + HASH_BYTES + "-byte hashes, at most " + MAX_ENCODED_BYTES + " bytes");
    }
    ByteBuffer in = ByteBuffer.wrap(b);
    long fileSize = in.getLong();
    int blockSize = in.getInt();
    int count = count(fileSize, blockSize);
    int hashCount = (b.length - HEADER_BYTES) / HASH_BYTES;
    if (hashCount != count) {
      throw new IllegalArgumentException("a block list of " + hashCount + " hashes for a file of " + fileSize
          + " bytes, which has " + count + " blocks of " + blockSize);
    }
    return new BlockList(fileSize, blockSize, Arrays.copyOfRange(b, HEADER_BYTES, b.length));
  }

  /** The file size, the block size, then the hashes; at most {@link #MAX_ENCODED_BYTES}. */
  public byte[] toBytes() {
    return ByteBuffer.allocate(HEADER_BYTES + hashes.length).putLong(fileSize).putInt(blockSize).put(hashes).array();
  }

  public long fileSize() {
    return fileSize;
  }

  public int blockSize() {
    return blockSize;
  }

  public int count() {
    return hashes.length / HASH_BYTES;
  }

  /** Where block {@code i} starts in the file. */
  public long offset(int i) {
    Objects.checkIndex(i, count());
    return (long) i * blockSize;
  }

  /** How long block {@code i} is: the block size, less for a short last block. */
  public int length(int i) {
    return (int) Math.min(blockSize, fileSize - offset(i));
  }

  /** A copy of block {@code i}'s SHA-256. */
  public byte[] hash(int i) {
    Objects.checkIndex(i, count());
    return Arrays.copyOfRange(hashes, i * HASH_BYTES, (i + 1) * HASH_BYTES);
  }

  /** Whether block {@code i} of this list has the hash of block {@code j} of {@code other}, without a copy. */
  public boolean sameHash(int i, BlockList other, int j) {
    Objects.checkIndex(i, count());
    Objects.checkIndex(j, other.count());
    return Arrays.equals(hashes, i * HASH_BYTES, (i + 1) * HASH_BYTES, other.hashes, j * HASH_BYTES,
        (j + 1) * HASH_BYTES);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlockList other && fileSize == other.fileSize && blockSize == other.blockSize
        && Arrays.equals(hashes, other.hashes);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(fileSize) + Arrays.hashCode(hashes);
  }

  @Override
  public String toString() {
    return "BlockList[" + fileSize + " bytes, " + count() + " blocks of " + blockSize + "]";
  }
}
