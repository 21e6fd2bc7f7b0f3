package io.gosync.relay.wire;

import io.gosync.budget.Budget;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.streams.WriteStream;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The header reader on a loopback connection: what it accepts, what it refuses, and how soon; and the budget
 * of header bytes that all connections of a server draw on together.
 */
@ExtendWith(VertxExtension.class)
class HeaderReaderTest {

  private static final StreamHeader HEADER =
      new StreamHeader("task-1", "source", new TreeNode("t1", "127.0.0.1", 7001, List.of()), 1);
  private static final long NO_TIMEOUT_MS = 30_000;
  private static final long HEAP = 256L << 20;

  private final Budget budget = new Budget("header bytes in flight", 1000, HEAP);

  @Test
  void aHeaderInPiecesIsReadAndWhatFollowsIsHandedOn(Vertx vertx) throws Exception {
    Buffer header = HEADER.encode();
    Buffer body = Buffer.buffer("the body of the stream, ".repeat(100));
    Buffer stream = header.copy().appendBuffer(body);
    Collected rest = new Collected();
    Context context = vertx.getOrCreateContext();

    Future<HeaderReader.Start> read = serve(vertx, context, NO_TIMEOUT_MS, true, List.of(stream.slice(0, 3), stream.slice(3, 9),
        stream.slice(9, header.length() + 10), stream.slice(header.length() + 10, stream.length())));
    HeaderReader.Start start = read.await(10, TimeUnit.SECONDS);
    start.rest().to(rest).await(10, TimeUnit.SECONDS);

    assertEquals(HEADER, start.header());
    assertEquals(body, start.leftover().copy().appendBuffer(rest.bytes));
    assertEquals(0, onContext(context, budget::held), "the header's bytes were not given back once it was read");
  }

  @Test
  void aWrongFirstByteIsRefusedAtOnce(Vertx vertx) {
    assertRefused(serve(vertx, NO_TIMEOUT_MS, false, List.of(Buffer.buffer("X"))), "not a gosync relay stream");
  }

  @Test
  void aHeaderLengthOverTheCapIsRefusedBeforeTheHeaderComes(Vertx vertx) {
    Buffer preamble = Buffer.buffer().appendInt(StreamHeader.MAGIC).appendInt(StreamHeader.MAX_BYTES + 1);
    assertRefused(serve(vertx, NO_TIMEOUT_MS, false, List.of(preamble)),
        "a header of 524289 bytes is longer than the 524288 a relay stream header may have");
  }

  @Test
  void aHeaderLengthThatIsNotPositiveIsRefused(Vertx vertx) {
    Buffer preamble = Buffer.buffer().appendInt(StreamHeader.MAGIC).appendInt(-5);
    assertRefused(serve(vertx, NO_TIMEOUT_MS, false, List.of(preamble)), "not a gosync relay stream");
  }

  /**
   * Two connections, each within the cap, that together would hold more than the budget: the second is
   * refused at its length while the first holds its bytes, and each gives back what it took once it is over.
   */
  @Test
  void aHeaderThatWouldExceedTheBudgetIsRefusedWhileAnotherHoldsIt(Vertx vertx) throws Exception {
    Context context = vertx.getOrCreateContext();
    Buffer holding = Buffer.buffer().appendInt(StreamHeader.MAGIC).appendInt(800).appendBuffer(Buffer.buffer(new byte[100]));
    Buffer over = Buffer.buffer().appendInt(StreamHeader.MAGIC).appendInt(300);

    Future<HeaderReader.Start> first = serve(vertx, context, 2_000, false, List.of(holding));
    awaitHeld(context, 800);
    Future<HeaderReader.Start> second = serve(vertx, context, NO_TIMEOUT_MS, false, List.of(over));

    assertRefused(second, "300 header bytes in flight do not fit in what is free of this node's budget (200 of 1000"
        + " for a heap of 256 MiB; others hold the rest)");
    assertRefused(first, "no complete header in 2000 ms", 10);
    assertEquals(0, onContext(context, budget::held));
  }

  @Test
  void aRefusedOrClosedConnectionGivesItsBytesBack(Vertx vertx) throws Exception {
    Buffer json = Buffer.buffer("{\"taskId\":\"t\"}");
    Buffer undecodable = Buffer.buffer().appendInt(StreamHeader.MAGIC).appendInt(json.length()).appendBuffer(json);
    Buffer cut = Buffer.buffer().appendInt(StreamHeader.MAGIC).appendInt(900).appendBuffer(Buffer.buffer(new byte[10]));
    Context context = vertx.getOrCreateContext();

    assertRefused(serve(vertx, context, NO_TIMEOUT_MS, false, List.of(undecodable)), "bad relay stream header");
    assertRefused(serve(vertx, context, NO_TIMEOUT_MS, true, List.of(cut)), "the connection closed before");

    assertEquals(0, onContext(context, budget::held));
  }

  @Test
  void aHeaderThatDoesNotDecodeIsRefusedWithTheField(Vertx vertx) {
    Buffer json = Buffer.buffer("{\"taskId\":\"t\"}");
    Buffer preamble = Buffer.buffer().appendInt(StreamHeader.MAGIC).appendInt(json.length()).appendBuffer(json);
    assertRefused(serve(vertx, NO_TIMEOUT_MS, false, List.of(preamble)), "bad relay stream header: parent");
  }

  @Test
  void aHeaderThatStallsIsRefusedAtTheTimeout(Vertx vertx) {
    long start = System.nanoTime();
    assertRefused(serve(vertx, 300, false, List.of(HEADER.encode().slice(0, 10))), "no complete header in 300 ms");
    assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 300);
  }

  /**
   * Reads the header of a connection to a fresh server, from a client that writes these pieces
   * apart and then ends the connection or, to show that a refusal does not wait for that, keeps it.
   */
  private Future<HeaderReader.Start> serve(Vertx vertx, long timeoutMs, boolean end, List<Buffer> pieces) {
    return serve(vertx, vertx.getOrCreateContext(), timeoutMs, end, pieces);
  }

  /** The same, with the server on the given context: servers on one context share one budget as a node's do. */
  private Future<HeaderReader.Start> serve(Vertx vertx, Context context, long timeoutMs, boolean end,
                                           List<Buffer> pieces) {
    Promise<HeaderReader.Start> read = Promise.promise();
    context.runOnContext(v -> vertx.createNetServer()
        .connectHandler(socket -> HeaderReader.read(vertx, socket, timeoutMs, budget).onComplete(read))
        .listen(0, "127.0.0.1")
        .compose(server -> vertx.createNetClient().connect(server.actualPort(), "127.0.0.1"))
        .onSuccess(client -> write(vertx, client, pieces, 0, end)));
    return read.future();
  }

  /** Until the budget holds that much: the first connection's preamble has arrived. */
  private void awaitHeld(Context context, long bytes) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (onContext(context, budget::held) != bytes) {
      assertTrue(System.nanoTime() < deadline, "the budget never held " + bytes + " bytes: " + budget.held());
      Thread.sleep(20);
    }
  }

  /** Reads a value where the budget lives, on the servers' context. */
  private static <T> T onContext(Context context, Supplier<T> value) throws Exception {
    Promise<T> read = Promise.promise();
    context.runOnContext(v -> read.complete(value.get()));
    return read.future().await(5, TimeUnit.SECONDS);
  }

  /** Separate writes a little apart, so that the server sees separate reads. */
  private static void write(Vertx vertx, NetSocket client, List<Buffer> pieces, int next, boolean end) {
    if (next == pieces.size()) {
      if (end) {
        client.end();
      }
      return;
    }
    client.write(pieces.get(next))
        .onSuccess(v -> vertx.setTimer(50, id -> write(vertx, client, pieces, next + 1, end)));
  }

  /** Well before the connection's own timeout, if there is one. */
  private static void assertRefused(Future<HeaderReader.Start> read, String reason) {
    assertRefused(read, reason, 5);
  }

  private static void assertRefused(Future<HeaderReader.Start> read, String reason, int withinSeconds) {
    Exception refused = assertThrows(Exception.class, () -> read.await(withinSeconds, TimeUnit.SECONDS));
    assertTrue(refused.getMessage().startsWith(reason), refused.getMessage());
  }

  /** Keeps what it is given. */
  private static final class Collected implements WriteStream<Buffer> {
    final Buffer bytes = Buffer.buffer();

    @Override
    public Future<Void> write(Buffer data) {
      bytes.appendBuffer(data);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }
}
