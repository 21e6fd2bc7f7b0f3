package io.gosync.relay;

import io.vertx.core.buffer.Buffer;

/**
 * The last bytes of a stream's body that a node forwarded, copied into a ring on the heap, so that a node
 * below whose parent died or stalled can be fed from where it stands (see {@link Relinks}). A node behind
 * a dead relay lags the node above it by what the relay and the sockets between held: 5-17 MiB in the
 * in-process tests on loopback, where TCP grows its buffers most (Kascade keeps 100 MiB). A ring grows in
 * slices as the stream comes, so a small task keeps little.
 */
final class ReplayWindow {

  static final int SLICE = 1 << 20;

  private byte[][] slices;
  private final long capacity;
  private Runnable release;
  /** Body bytes appended so far: the stream offset just past the last one. */
  private long end;

  /**
   * @param capacity bytes kept, rounded up to whole MiB
   * @param release gives the window's bytes back to whoever lent them, once it is closed
   */
  ReplayWindow(long capacity, Runnable release) {
    int count = (int) Math.max(1, (capacity + SLICE - 1) / SLICE);
    this.slices = new byte[count][];
    this.capacity = (long) count * SLICE;
    this.release = release;
  }

  /** The stream is over: the window keeps nothing from here on, and its bytes are given back. */
  void close() {
    slices = new byte[0][];
    if (release != null) {
      release.run();
      release = null;
    }
  }

  boolean isClosed() {
    return slices.length == 0;
  }

  void append(Buffer data) {
    if (isClosed()) {
      return;
    }
    int from = 0;
    while (from < data.length()) {
      int slice = (int) ((end / SLICE) % slices.length);
      int at = (int) (end % SLICE);
      if (slices[slice] == null) {
        slices[slice] = new byte[SLICE];
      }
      int take = Math.min(SLICE - at, data.length() - from);
      data.getBytes(from, from + take, slices[slice], at);
      from += take;
      end += take;
    }
  }

  /** The oldest offset still kept. */
  long start() {
    return Math.max(0, end - capacity);
  }

  long end() {
    return end;
  }

  /** A copy of the bytes from {@code offset} to the end; the offset must be kept. */
  Buffer from(long offset) {
    if (offset < start() || offset > end) {
      throw new IllegalArgumentException("offset " + offset + " is not kept: the window holds " + start() + " to " + end);
    }
    Buffer copy = Buffer.buffer((int) (end - offset));
    for (long at = offset; at < end; ) {
      int slice = (int) ((at / SLICE) % slices.length);
      int in = (int) (at % SLICE);
      int take = (int) Math.min(SLICE - in, end - at);
      copy.appendBytes(slices[slice], in, take);
      at += take;
    }
    return copy;
  }
}
