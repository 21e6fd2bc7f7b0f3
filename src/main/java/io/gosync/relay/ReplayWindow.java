package io.gosync.relay;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;
import io.vertx.core.internal.buffer.BufferInternal;

import java.util.ArrayDeque;

/**
 * The last bytes of a stream's body that a node forwarded, so that a node below whose parent died or stalled
 * can be fed from where it stands (see {@link Relinks}). A node behind a dead relay lags the node above it by
 * what the relay and the sockets between held: 5-17 MiB in the in-process tests on loopback, where TCP grows
 * its buffers most (Kascade keeps 100 MiB).
 *
 * <p>It keeps the very buffers the tee wrote, retained, not a copy: a copy into a heap ring cost 9.5 % of a
 * source's CPU in a loopback chain (1 GiB, TLS, 527 of 5,525 samples in the array copy), and every node of a
 * chain whose child has children pays it. It keeps whole buffers, so at least its capacity and at most one
 * buffer more (256 KiB, a source's read); a small task keeps little.
 */
final class ReplayWindow {

  /** Budgets are taken in whole MiB. */
  static final int BUDGET_UNIT = 1 << 20;

  private final ArrayDeque<ByteBuf> kept = new ArrayDeque<>();
  private final long capacity;
  private Runnable release;
  private boolean closed;
  private long keptBytes;
  /** Body bytes appended so far: the stream offset just past the last one. */
  private long end;

  /**
   * @param capacity bytes kept at least, once the stream has had that many
   * @param release gives the window's budget back to whoever lent it, once it is closed
   */
  ReplayWindow(long capacity, Runnable release) {
    this.capacity = capacity;
    this.release = release;
  }

  /** The stream is over: the window releases what it kept and keeps nothing from here on. */
  void close() {
    closed = true;
    while (!kept.isEmpty()) {
      kept.removeFirst().release();
    }
    keptBytes = 0;
    if (release != null) {
      release.run();
      release = null;
    }
  }

  boolean isClosed() {
    return closed;
  }

  /** Keeps the buffer as it is (retained): the caller must not change its bytes, only release its own hold. */
  void append(Buffer data) {
    if (closed || data.length() == 0) {
      return;
    }
    // The buffer as it is: getByteBuf() gives an unreleasable duplicate of a pooled one, which retains nothing.
    kept.addLast(((BufferImpl) data).byteBuf().retainedSlice());
    keptBytes += data.length();
    end += data.length();
    while (keptBytes - kept.getFirst().readableBytes() >= capacity) {
      ByteBuf oldest = kept.removeFirst();
      keptBytes -= oldest.readableBytes();
      oldest.release();
    }
  }

  /** The oldest offset still kept. */
  long start() {
    return end - keptBytes;
  }

  long end() {
    return end;
  }

  /** A copy of the bytes from {@code offset} to the end (a relink is rare; the copy is the adopter's to send). */
  Buffer from(long offset) {
    if (offset < start() || offset > end) {
      throw new IllegalArgumentException("offset " + offset + " is not kept: the window holds " + start() + " to " + end);
    }
    Buffer copy = Buffer.buffer((int) (end - offset));
    long at = start();
    for (ByteBuf bytes : kept) {
      int length = bytes.readableBytes();
      if (at + length > offset) {
        int skip = (int) Math.max(0, offset - at);
        copy.appendBuffer(BufferInternal.buffer(bytes.slice(bytes.readerIndex() + skip, length - skip)));
      }
      at += length;
    }
    return copy;
  }
}
