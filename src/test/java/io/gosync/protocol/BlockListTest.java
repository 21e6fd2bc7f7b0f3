package io.gosync.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A block list: its block size by file size, its blocks' places, and its one encoding, with what it refuses. */
class BlockListTest {

  private static final int MIB = 1 << 20;
  private static final long GIB = 1L << 30;

  @ParameterizedTest
  @ValueSource(longs = {0, 1, MIB - 1, MIB, MIB + 1, 1L << 31, 4 * GIB - 1, 4 * GIB})
  void filesUpTo4GiBHave1MiBBlocks(long size) {
    assertEquals(MIB, BlockList.blockSize(size));
  }

  @Test
  void largerFilesHaveTheSmallestPowerOfTwoThatKeepsThemAt4096Blocks() {
    assertEquals(2 * MIB, BlockList.blockSize(4 * GIB + 1));
    assertEquals(2 * MIB, BlockList.blockSize(8 * GIB));
    assertEquals(4 * MIB, BlockList.blockSize(8 * GIB + 1));
    assertEquals(256 * MIB, BlockList.blockSize(GIB << 10));
    assertEquals(1 << 30, BlockList.blockSize(BlockList.MAX_FILE_SIZE));
  }

  /** Over many sizes: a power of two, at most 4,096 blocks, and half of it would make more. */
  @Test
  void everyBlockSizeIsThePowerOfTwoThatGivesAtMost4096BlocksAndNoSmaller() {
    Random random = new Random(13);
    for (int i = 0; i < 100_000; i++) {
      long size = i < 50 ? 4 * GIB - 25 + i : Math.floorMod(random.nextLong(), BlockList.MAX_FILE_SIZE + 1);
      int block = BlockList.blockSize(size);
      long blocks = (size + block - 1) / block;

      assertEquals(1, Integer.bitCount(block), () -> "size " + size);
      assertTrue(blocks <= BlockList.MAX_BLOCKS, () -> "size " + size + ": " + blocks + " blocks");
      assertTrue(block == MIB || (size + block / 2 - 1) / (block / 2) > BlockList.MAX_BLOCKS, () -> "size " + size);
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, Long.MIN_VALUE, BlockList.MAX_FILE_SIZE + 1, Long.MAX_VALUE})
  void aSizeWithoutABlockListIsRefusedWithTheSize(long size) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BlockList.blockSize(size));

    assertTrue(e.getMessage().contains(size + " bytes has no block list"), e.getMessage());
  }

  @Test
  void anEmptyFileHasNoBlocksAndAMultipleOfTheBlockSizeNoEmptyLastOne() {
    assertEquals(0, list(0).count());
    assertEquals(1, list(1).count());
    assertEquals(1, list(MIB).count());
    assertEquals(2, list(MIB + 1).count());
    assertEquals(3, list(3 * MIB).count());
    assertEquals(MIB, list(3 * MIB).length(2));
  }

  @Test
  void blocksLieEndToEndAndTheLastIsShort() {
    BlockList blocks = list(2 * MIB + MIB / 2);

    assertEquals(3, blocks.count());
    assertEquals(0, blocks.offset(0));
    assertEquals(MIB, blocks.offset(1));
    assertEquals(2L * MIB, blocks.offset(2));
    assertEquals(MIB, blocks.length(1));
    assertEquals(MIB / 2, blocks.length(2));
    assertThrows(IndexOutOfBoundsException.class, () -> blocks.offset(3));
    assertThrows(IndexOutOfBoundsException.class, () -> blocks.length(-1));
    assertThrows(IndexOutOfBoundsException.class, () -> blocks.hash(3));
  }

  @Test
  void offsetsOfLargeFilesDoNotOverflow() {
    BlockList blocks = list(BlockList.MAX_FILE_SIZE);

    assertEquals(BlockList.MAX_BLOCKS, blocks.count());
    assertEquals(BlockList.MAX_FILE_SIZE - GIB, blocks.offset(BlockList.MAX_BLOCKS - 1));
    assertEquals(1 << 30, blocks.length(BlockList.MAX_BLOCKS - 1));
  }

  @Test
  void neitherTheGivenHashesNorAHashHandedOutChangeTheList() {
    byte[] hashes = hashes(2, 1);
    BlockList blocks = BlockList.of(MIB + 1, hashes);
    byte[] first = Arrays.copyOf(hashes, 32);

    hashes[0] ^= 1;
    blocks.hash(0)[1] ^= 1;

    assertArrayEquals(first, blocks.hash(0));
    assertEquals(BlockList.of(MIB + 1, hashes(2, 1)), blocks);
  }

  @Test
  void ofRefusesHashesThatAreNotOnePerBlock() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BlockList.of(3 * MIB, new byte[2 * 32]));

    assertEquals("64 bytes of hashes for a file of 3145728 bytes, which has 3 blocks of 1048576 (96 bytes of hashes)",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> BlockList.of(MIB, new byte[33]));
    assertThrows(IllegalArgumentException.class, () -> BlockList.of(-1, new byte[0]));
  }

  @Test
  void blocksCompareByHashAcrossLists() {
    byte[] hashes = hashes(3, 7);
    BlockList old = BlockList.of(3 * MIB, hashes);
    System.arraycopy(hashes, 0, hashes, 64, 32);
    BlockList changed = BlockList.of(3 * MIB - 10, hashes);

    assertTrue(changed.sameHash(0, old, 0));
    assertTrue(changed.sameHash(2, old, 0), "the new last block has the old first block's hash");
    assertFalse(changed.sameHash(2, old, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> changed.sameHash(0, list(0), 0));
  }

  @Test
  void listsAreEqualByContent() {
    BlockList a = BlockList.of(2 * MIB, hashes(2, 3));

    assertEquals(a, BlockList.of(2 * MIB, hashes(2, 3)));
    assertEquals(a.hashCode(), BlockList.of(2 * MIB, hashes(2, 3)).hashCode());
    assertNotEquals(a, BlockList.of(2 * MIB, hashes(2, 4)), "another hash");
    assertNotEquals(a, BlockList.of(2 * MIB - 1, hashes(2, 3)), "another size, the same hashes");
    assertEquals("BlockList[2097152 bytes, 2 blocks of 1048576]", a.toString());
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, MIB, 3 * MIB + 5, 5 * GIB, BlockList.MAX_FILE_SIZE})
  void aListIsDecodedAsItWasEncoded(long size) {
    BlockList blocks = list(size);

    byte[] encoded = blocks.toBytes();

    assertEquals(BlockList.HEADER_BYTES + 32 * blocks.count(), encoded.length);
    assertEquals(blocks, BlockList.fromBytes(encoded));
  }

  @Test
  void theEncodingIsTheFileSizeTheBlockSizeAndTheHashesInOrder() {
    byte[] hashes = hashes(3, 9);
    ByteBuffer encoded = ByteBuffer.wrap(BlockList.of(5 * GIB, hashes(2560, 9)).toBytes());

    assertEquals(5 * GIB, encoded.getLong());
    assertEquals(2 * MIB, encoded.getInt());
    byte[] first = new byte[96];
    encoded.get(first);
    assertArrayEquals(hashes, first);
    assertEquals(BlockList.MAX_ENCODED_BYTES, list(BlockList.MAX_FILE_SIZE).toBytes().length);
  }

  /** Lengths that are not a header and whole hashes, or more than the longest list: named as a bad length. */
  @ParameterizedTest
  @ValueSource(ints = {0, 11, 12 + 31, 12 + 33, BlockList.MAX_ENCODED_BYTES + 32})
  void aBadLengthIsRefusedAsSuch(int length) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BlockList.fromBytes(new byte[length]));

    assertTrue(e.getMessage().startsWith("a block list of " + length + " bytes: not a 12-byte header"), e.getMessage());
  }

  @Test
  void aBlockSizeThatIsNotTheFileSizesIsRefused() {
    ByteBuffer b = ByteBuffer.wrap(list(5 * MIB).toBytes());
    b.putInt(8, 2 * MIB);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BlockList.fromBytes(b.array()));

    assertEquals("block size 2097152 is not the 1048576 of a file of 5242880 bytes", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, BlockList.MAX_FILE_SIZE + 1})
  void aFileSizeWithoutABlockListIsRefused(long size) {
    ByteBuffer b = ByteBuffer.wrap(list(MIB).toBytes());
    b.putLong(0, size);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BlockList.fromBytes(b.array()));

    assertTrue(e.getMessage().contains(size + " bytes has no block list"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, +1})
  void hashesThatAreNotOnePerBlockAreRefused(int more) {
    byte[] good = list(3 * MIB).toBytes();
    byte[] bad = Arrays.copyOf(good, good.length + 32 * more);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BlockList.fromBytes(bad));

    assertEquals("a block list of " + (3 + more) + " hashes for a file of 3145728 bytes, which has 3 blocks of 1048576",
        e.getMessage());
  }

  /** A list of a file of {@code size} bytes with made-up hashes. */
  private static BlockList list(long size) {
    int blocks = (int) ((size + BlockList.blockSize(size) - 1) / BlockList.blockSize(size));
    return BlockList.of(size, hashes(blocks, size));
  }

  private static byte[] hashes(int blocks, long seed) {
    byte[] hashes = new byte[blocks * 32];
    new Random(seed).nextBytes(hashes);
    return hashes;
  }
}
