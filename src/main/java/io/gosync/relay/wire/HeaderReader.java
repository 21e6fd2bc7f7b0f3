package io.gosync.relay.wire;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.streams.Pipe;

/**
 * Reads the header that opens a relay connection (see {@link StreamHeader#encode}). What cannot
 * be a relay stream is refused as soon as it shows: the magic byte by byte as it arrives, then
 * the length, then the JSON. The whole header must arrive within the timeout, so a peer that
 * stalls cannot hold a connection and its buffer. A refused connection is closed.
 */
public final class HeaderReader {

  /**
   * A connection's header, the bytes that came after it in the same reads, and the pipe that
   * holds the rest of the connection (paused) until it is given a destination or closed.
   */
  public record Start(StreamHeader header, Buffer leftover, Pipe<Buffer> pipe) {
  }

  private static final byte[] MAGIC = Buffer.buffer(4).appendInt(StreamHeader.MAGIC).getBytes();

  private final Vertx vertx;
  private final NetSocket socket;
  private final Promise<Start> result = Promise.promise();
  private final Buffer start = Buffer.buffer();
  private final long timer;

  private HeaderReader(Vertx vertx, NetSocket socket, long timeoutMs) {
    this.vertx = vertx;
    this.socket = socket;
    this.timer = vertx.setTimer(timeoutMs, id -> refuse("no complete header in " + timeoutMs + " ms"));
    socket.closeHandler(v -> {
      vertx.cancelTimer(timer);
      result.tryFail("the connection closed before its header was complete");
    });
    socket.handler(this::read);
  }

  /** Fails with the reason when the connection is refused (and closed). */
  public static Future<Start> read(Vertx vertx, NetSocket socket, long timeoutMs) {
    return new HeaderReader(vertx, socket, timeoutMs).result.future();
  }

  private void read(Buffer data) {
    if (result.future().isComplete()) {
      return; // cannot happen once the pipe holds the socket; never read a header twice
    }
    start.appendBuffer(data);
    if (!startsWithMagic()) {
      refuse("not a gosync relay stream");
      return;
    }
    if (start.length() < StreamHeader.PREAMBLE_BYTES) {
      return;
    }
    int length = start.getInt(4);
    if (length <= 0 || length > StreamHeader.MAX_BYTES) {
      refuse("not a gosync relay stream");
      return;
    }
    int end = StreamHeader.PREAMBLE_BYTES + length;
    if (start.length() < end) {
      return;
    }
    vertx.cancelTimer(timer);
    Pipe<Buffer> pipe = socket.pipe();
    try {
      StreamHeader header = StreamHeader.decode(start.slice(StreamHeader.PREAMBLE_BYTES, end));
      result.complete(new Start(header, start.slice(end, start.length()), pipe));
    } catch (IllegalArgumentException e) {
      pipe.close();
      refuse(e.getMessage());
    }
  }

  private boolean startsWithMagic() {
    for (int i = 0; i < Math.min(MAGIC.length, start.length()); i++) {
      if (start.getByte(i) != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  private void refuse(String reason) {
    vertx.cancelTimer(timer);
    result.tryFail(reason);
    socket.close();
  }
}
