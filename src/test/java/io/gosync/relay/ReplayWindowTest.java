package io.gosync.relay;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replay window keeps exactly the last bytes of its capacity, across its ring's wrap, and no others. */
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
    assertEquals(stream.length - 2 * MIB, window.start());
    assertEquals(Buffer.buffer(stream).slice((int) window.start(), stream.length), window.from(window.start()));
    assertEquals(Buffer.buffer(stream).slice(stream.length - 100, stream.length), window.from(stream.length - 100));
    assertEquals(0, window.from(stream.length).length());
  }

  @Test
  void anOffsetOutsideTheWindowIsRefused() {
    ReplayWindow window = new ReplayWindow(MIB, null);
    window.append(Buffer.buffer(new byte[3 * MIB]));

    assertThrows(IllegalArgumentException.class, () -> window.from(2 * MIB - 1));
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
