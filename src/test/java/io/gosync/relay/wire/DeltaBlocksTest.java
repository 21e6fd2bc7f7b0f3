package io.gosync.relay.wire;

import io.gosync.testkit.Bits;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Issue 13: the blocks a delta frame carries, as runs placed in the file and in the stream. */
class DeltaBlocksTest {

  private static final int MIB = 1 << 20;

  @Test
  void consecutiveBlocksMakeOneSpanAndAShortLastBlockCountsItsBytes() {
    DeltaBlocks delta = DeltaBlocks.of(6L * MIB + 100, Bits.of(1, 2, 4, 6));

    assertEquals(List.of(new DeltaBlocks.Span(MIB, 0, 2L * MIB), new DeltaBlocks.Span(4L * MIB, 2L * MIB, MIB),
        new DeltaBlocks.Span(6L * MIB, 3L * MIB, 100)), delta.spans());
    assertEquals(3L * MIB + 100, delta.bytes());
    assertEquals(Bits.of(1, 2, 4, 6), delta.asBitSet());
    assertEquals(delta, DeltaBlocks.decode(6L * MIB + 100, delta.encode().slice(4, delta.encode().length())));
  }

  @Test
  void aDeltaOfNoBlocksHasNoSpans() {
    DeltaBlocks none = DeltaBlocks.of(3L * MIB, new BitSet());

    assertEquals(List.of(), none.spans());
    assertEquals(0, none.bytes());
    assertEquals(Buffer.buffer().appendInt(0), none.encode());
  }

  @Test
  void aDeltaThatIsNotOfSomeBlocksOfALargeFileIsRefused() {
    assertEquals("delta blocks: a file of 1048576 bytes is sent whole",
        assertThrows(IllegalArgumentException.class, () -> DeltaBlocks.of(MIB, Bits.of(0))).getMessage());
    assertEquals("delta blocks: 3 blocks of a file of 3",
        assertThrows(IllegalArgumentException.class, () -> DeltaBlocks.of(3L * MIB, Bits.of(0, 1, 2))).getMessage());
    assertEquals("delta blocks: block 3 out of order or beyond the file's 3",
        assertThrows(IllegalArgumentException.class, () -> DeltaBlocks.of(3L * MIB, Bits.of(3))).getMessage());
  }
}
