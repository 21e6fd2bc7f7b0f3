package io.gosync.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replay window keeps the last bytes of at least its capacity (whole buffers: at most one more), holds the
 * very buffers it was given until it drops or closes, and no others.
 */
class ReplayWindowTest {

  private static final int MIB = 1 << 20;

  @Test
  void theLastCapacityBytesAreKeptAcrossTheWrap() {
    byte[] stream = new byte[5 * MIB + 12345];
    new Random(3).nextBytes(stream);
    ReplayWindow window = new ReplayWindow(2 * MIB, null);

    for (int at = 0; at < stream.length; at += 70_001) {
      window.append(Buffer.buffer(stream).slice(at, Math.min(stream.length, at + 70_001)));
    }

    assertEquals(stream.length, window.end());
    assertTrue(window.start() <= stream.length - 2 * MIB && window.start() > stream.length - 2 * MIB - 70_001,
        "starts at " + window.start());
    assertEquals(Buffer.buffer(stream).slice((int) window.start(), stream.length), window.from(window.start()));
    assertEquals(Buffer.buffer(stream).slice(stream.length - 100, stream.length), window.from(stream.length - 100));
    assertEquals(0, window.from(stream.length).length());
  }

  /**
   * The writer releases a pooled buffer once every branch wrote it; the window's hold keeps its bytes from being
   * reused until the window drops it, and its close lets the buffer go back to the pool.
   */
  @Test
  void aPooledBufferIsHeldUntilDroppedOrClosedAndItsBytesStay() {
    ReplayWindow window = new ReplayWindow(2 * MIB, null);
    byte[] first = new byte[MIB];
    new Random(5).nextBytes(first);
    ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(MIB).writeBytes(first);

    window.append(BufferInternal.buffer(pooled).slice(0, MIB));
    pooled.release(); // as the tee's writer does once its branches wrote it
    ByteBuf reused = PooledByteBufAllocator.DEFAULT.directBuffer(MIB).writeZero(MIB); // the pool's next buffer
    window.append(Buffer.buffer(new byte[10]));

    assertEquals(1, pooled.refCnt());
    assertEquals(Buffer.buffer(first), window.from(0).slice(0, MIB));
    window.close();
    assertEquals(0, pooled.refCnt());
    reused.release();
  }

  @Test
  void theOldestBufferIsReleasedWhenTheWindowNoLongerNeedsIt() {
    ReplayWindow window = new ReplayWindow(MIB, null);
    ByteBuf oldest = PooledByteBufAllocator.DEFAULT.directBuffer(MIB / 2).writeZero(MIB / 2);
    window.append(BufferInternal.buffer(oldest));
    oldest.release();

    window.append(Buffer.buffer(new byte[MIB]));

    assertEquals(0, oldest.refCnt());
    assertEquals(MIB / 2, window.start());
  }

  @Test
  void anOffsetOutsideTheWindowIsRefused() {
    ReplayWindow window = new ReplayWindow(MIB, null);
    window.append(Buffer.buffer(new byte[3 * MIB]));

    assertThrows(IllegalArgumentException.class, () -> window.from(-1));
    assertThrows(IllegalArgumentException.class, () -> window.from(3 * MIB + 1));
  }

  @Test
  void aClosedWindowKeepsNothingAndGivesItsBytesBackOnce() {
    int[] given = {0};
    ReplayWindow window = new ReplayWindow(MIB, () -> given[0]++);
    window.append(Buffer.buffer("abc"));

    window.close();
    window.close();
    window.append(Buffer.buffer("def"));

    assertEquals(1, given[0]);
    assertTrue(window.isClosed());
  }

  @Test
  void aShortStreamIsKeptWhole() {
    ReplayWindow window = new ReplayWindow(MIB, null);
    window.append(Buffer.buffer("abc"));
    window.append(Buffer.buffer("def"));

    assertEquals(0, window.start());
    assertEquals(Buffer.buffer("cdef"), window.from(2));
  }
}
