package io.gosync.relay.wire;

import io.gosync.budget.Budget;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * Reads the header that opens a relay connection (see {@link StreamHeader#encode}). What cannot
 * be a relay stream is refused as soon as it shows: the magic byte by byte as it arrives, then
 * the length, then the JSON. The whole header must arrive within the timeout, so a peer that
 * stalls cannot hold a connection and its buffer. A refused connection is closed.
 *
 * <p>The bytes a header announces are taken from the node's budget for headers in flight as soon as
 * its length is read, before any of them is held, and given back once the header is read or refused:
 * many connections together can hold no more than the budget, and one that would exceed it is refused.
 */
public final class HeaderReader {

  /**
   * A connection's header, the bytes that came after it in the same reads, and the rest of the
   * connection, held paused until it is given a destination or closed.
   */
  public record Start(StreamHeader header, Buffer leftover, Inbound rest) {
  }

  private static final byte[] MAGIC = Buffer.buffer(4).appendInt(StreamHeader.MAGIC).getBytes();

  private final Vertx vertx;
  private final NetSocket socket;
  private final Promise<Start> result = Promise.promise();
  private final Budget budget;
  private Buffer start = Buffer.buffer(StreamHeader.PREAMBLE_BYTES);
  /** What this connection holds of the budget: the announced header length, once it is known. */
  private long taken;
  private final long timer;

  private HeaderReader(Vertx vertx, NetSocket socket, long timeoutMs, Budget budget) {
    this.vertx = vertx;
    this.socket = socket;
    this.budget = budget;
    this.timer = vertx.setTimer(timeoutMs, id -> refuse("no complete header in " + timeoutMs + " ms"));
    socket.closeHandler(v -> {
      vertx.cancelTimer(timer);
      giveBack();
      result.tryFail("the connection closed before its header was complete");
    });
    ((NetSocketInternal) socket).messageHandler(this::arrived);
  }

  /**
   * Fails with the reason when the connection is refused (and closed).
   *
   * @param budget the node's budget of header bytes in flight, which this connection draws on while it reads
   */
  public static Future<Start> read(Vertx vertx, NetSocket socket, long timeoutMs, Budget budget) {
    return new HeaderReader(vertx, socket, timeoutMs, budget).result.future();
  }

  /** Netty's buffers, as {@link Inbound} takes them after the header: the header's bytes are copied. */
  private void arrived(Object message) {
    if (!(message instanceof ByteBuf bytes)) {
      ReferenceCountUtil.release(message);
      return;
    }
    try {
      read(BufferInternal.buffer(bytes));
    } finally {
      bytes.release();
    }
  }

  private void read(Buffer data) {
    if (result.future().isComplete()) {
      return; // cannot happen once Inbound holds the socket; never read a header twice
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
    if (taken == 0 && !takeBudget(length)) {
      return;
    }
    int end = StreamHeader.PREAMBLE_BYTES + length;
    if (start.length() < end) {
      return;
    }
    vertx.cancelTimer(timer);
    StreamHeader header;
    try {
      header = StreamHeader.decode(start.slice(StreamHeader.PREAMBLE_BYTES, end));
    } catch (IllegalArgumentException e) {
      refuse(e.getMessage());
      return;
    }
    giveBack();
    result.complete(new Start(header, start.slice(end, start.length()), new Inbound((NetSocketInternal) socket)));
  }

  /**
   * Takes the header's length from the budget and makes room for it at once, so that the buffer does not
   * grow (by doubling) past it; refuses the connection when the length is wrong or does not fit.
   *
   * @return whether the header is still being read
   */
  private boolean takeBudget(int length) {
    if (length <= 0 || length > StreamHeader.MAX_BYTES) {
      refuse(length <= 0 ? "not a gosync relay stream"
          : "a header of " + length + " bytes is longer than the " + StreamHeader.MAX_BYTES + " a relay stream header may have");
      return false;
    }
    try {
      budget.take(length);
    } catch (IllegalArgumentException e) {
      refuse(e.getMessage());
      return false;
    }
    taken = length;
    start = Buffer.buffer(StreamHeader.PREAMBLE_BYTES + length).appendBuffer(start);
    return true;
  }

  private void giveBack() {
    budget.give(taken);
    taken = 0;
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
    giveBack();
    result.tryFail(reason);
    socket.close();
  }
}
