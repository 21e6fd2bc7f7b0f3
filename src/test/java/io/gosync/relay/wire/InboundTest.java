package io.gosync.relay.wire;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.streams.WriteStream;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rest of a relay connection on a loopback socket: every byte reaches the destination in order, each of
 * Netty's buffers stays alive until the destination's write of it completes and is released then, what
 * came before the destination was given (a short stream may be over by then) is not lost, and a closed
 * connection hands on nothing more.
 */
@ExtendWith(VertxExtension.class)
class InboundTest {

  private static final int BYTES = 3 << 20;

  @Test
  void eachBufferLivesUntilItsWriteCompletesAndIsReleasedThen(Vertx vertx) throws Exception {
    byte[] sent = new byte[BYTES];
    new Random(7).nextBytes(sent);
    Holding destination = new Holding();

    Inbound rest = serve(vertx, Buffer.buffer(sent)).await(10, TimeUnit.SECONDS);
    rest.to(destination).await(30, TimeUnit.SECONDS);

    assertEquals(Buffer.buffer(sent), destination.bytes(), "the bytes that came");
    List<ByteBuf> held = destination.held();
    assertTrue(held.stream().allMatch(bytes -> bytes.refCnt() > 0), "a buffer was released before its write completed");
    destination.completeAll(vertx).await(10, TimeUnit.SECONDS);
    assertTrue(held.stream().allMatch(bytes -> bytes.refCnt() == 0), "a buffer was not released after its write");
  }

  /**
   * A destination that is full after every write, for a moment: the connection closes while the socket is
   * paused and Vert.x still holds what it read, and the stream is over only after those bytes.
   */
  @Test
  void theEndComesAfterEveryByteTheConnectionHeldWhilePaused(Vertx vertx) throws Exception {
    byte[] sent = new byte[BYTES];
    new Random(11).nextBytes(sent);
    Slow destination = new Slow(vertx);

    Inbound rest = serve(vertx, Buffer.buffer(sent)).await(10, TimeUnit.SECONDS);
    int atEnd = rest.to(destination).map(over -> destination.bytes.length()).await(60, TimeUnit.SECONDS);

    assertEquals(BYTES, atEnd, "bytes when the stream was over");
    assertEquals(Buffer.buffer(sent), destination.bytes);
  }

  @Test
  void whatCameBeforeTheDestinationWasGivenIsKept(Vertx vertx) throws Exception {
    Buffer sent = Buffer.buffer("a short stream, over before its tee is built");
    Holding destination = new Holding();

    Inbound rest = serve(vertx, sent).await(10, TimeUnit.SECONDS);
    Thread.sleep(300); // the client has written and closed by now
    rest.to(destination).await(10, TimeUnit.SECONDS);
    destination.completeAll(vertx).await(10, TimeUnit.SECONDS);

    assertEquals(sent, destination.bytes());
  }

  /** A parent that another replaced: nothing more of its connection reaches the destination. */
  @Test
  void aClosedRestHandsOnNothingMore(Vertx vertx) throws Exception {
    Holding destination = new Holding();
    Inbound rest = serve(vertx, Buffer.buffer(new byte[BYTES])).await(10, TimeUnit.SECONDS);

    rest.close();
    rest.to(destination).await(10, TimeUnit.SECONDS);
    Thread.sleep(300);

    assertEquals(0, destination.bytes().length());
  }

  /** The server side of a connection whose client writes {@code stream} and closes; Inbound takes it at once. */
  private static Future<Inbound> serve(Vertx vertx, Buffer stream) {
    Promise<Inbound> taken = Promise.promise();
    vertx.createNetServer()
        .connectHandler(socket -> taken.complete(new Inbound((NetSocketInternal) socket)))
        .listen(0, "127.0.0.1")
        .compose(server -> vertx.createNetClient().connect(server.actualPort(), "127.0.0.1"))
        .onSuccess(client -> client.write(stream).onComplete(written -> client.close()));
    return taken.future();
  }

  /** Full for a few milliseconds after each write; keeps a copy of the bytes. */
  private static final class Slow extends Destination {
    private final Vertx vertx;
    final Buffer bytes = Buffer.buffer();
    private boolean full;
    private Handler<Void> drainHandler;

    Slow(Vertx vertx) {
      this.vertx = vertx;
    }

    @Override
    public Future<Void> write(Buffer data) {
      bytes.appendBuffer(data);
      full = true;
      vertx.setTimer(2, id -> {
        full = false;
        Handler<Void> handler = drainHandler;
        drainHandler = null;
        if (handler != null) {
          handler.handle(null);
        }
      });
      return Future.succeededFuture();
    }

    @Override
    public boolean writeQueueFull() {
      return full;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      drainHandler = handler;
      return this;
    }
  }

  /** Keeps a copy of the bytes, and completes no write until told. */
  private static final class Holding extends Destination {
    private final Buffer bytes = Buffer.buffer();
    private final List<ByteBuf> held = new ArrayList<>();
    private final List<Promise<Void>> writes = new ArrayList<>();

    @Override
    public synchronized Future<Void> write(Buffer data) {
      bytes.appendBuffer(data);
      held.add(((BufferInternal) data).getByteBuf());
      Promise<Void> write = Promise.promise();
      writes.add(write);
      return write.future();
    }

    synchronized Buffer bytes() {
      return bytes.copy();
    }

    synchronized List<ByteBuf> held() {
      return List.copyOf(held);
    }

    synchronized Future<Void> completeAll(Vertx vertx) {
      Promise<Void> done = Promise.promise();
      List<Promise<Void>> pending = List.copyOf(writes);
      vertx.runOnContext(v -> {
        pending.forEach(Promise::tryComplete);
        done.complete();
      });
      return done.future();
    }


  }

  /** A destination that never fails, ends at once and, unless it says otherwise, is never full. */
  private abstract static class Destination implements WriteStream<Buffer> {

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
