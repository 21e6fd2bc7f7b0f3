package io.gosync.relay.wire;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.streams.WriteStream;

import java.util.ArrayDeque;

/**
 * The rest of a relay connection after its header, held paused until it is given a destination: a pipe
 * that hands on Netty's buffers as they are. A NetSocket's own handler copies each buffer into a new heap
 * array (Vert.x's safeBuffer), which the landing then copied into direct memory and the TLS engine of
 * every child copied again; a relay spent 2.22 CPU s per GiB on loopback with the three.
 *
 * <p>Each buffer is released once the destination's write of it completes: a destination must copy what it
 * keeps (the landing does) or complete its write only when it is done with the bytes (a socket does). Like
 * a pipe it reads only while the destination has room; unlike one it does not end the destination when the
 * connection closes, since another parent may take the stream over (see {@link StreamHeader#relink}).
 */
public final class Inbound {

  private final NetSocketInternal socket;
  private final Context context = Vertx.currentContext();
  private final ArrayDeque<ByteBuf> waiting = new ArrayDeque<>();
  private final Promise<Void> handedOn = Promise.promise();
  private WriteStream<Buffer> destination;
  private boolean paused;
  private boolean closed;
  private boolean dropped;
  private Throwable failure;

  /** Takes the socket over, paused, on its context; what arrives until {@link #to} waits here. */
  Inbound(NetSocketInternal socket) {
    this.socket = socket;
    pause();
    socket.messageHandler(this::arrived);
    socket.exceptionHandler(err -> failure = err);
    socket.closeHandler(v -> closed());
  }

  /**
   * Feeds the rest of the connection to the destination; completes once the connection closed and all it
   * brought was handed on (failed if the connection failed), or once it was {@link #close closed} here.
   */
  public Future<Void> to(WriteStream<Buffer> destination) {
    onEventLoop(() -> {
      this.destination = destination;
      while (!waiting.isEmpty()) {
        forward(waiting.poll());
      }
      if (destination.writeQueueFull()) {
        destination.drainHandler(v -> resume()); // what came with the header filled it
      } else {
        resume();
      }
    });
    return handedOn.future();
  }

  /**
   * An ancestor took the stream over: tells the parent so ({@link StreamHeader#TAKEN_OVER}), so that it does not
   * take this node's children over as it would from a child that died, then closes as {@link #close} does.
   */
  public void takenOver() {
    onEventLoop(() -> socket.write(Buffer.buffer(new byte[] {StreamHeader.TAKEN_OVER})));
    close();
  }

  /** Drops the connection and whatever it still brings: a refused stream, or a parent that another replaced. */
  public void close() {
    onEventLoop(() -> {
      dropped = true;
      releaseWaiting();
      socket.close();
      handedOn.tryComplete();
    });
  }

  /** The socket's pause and resume hold only on its event loop. */
  private void onEventLoop(Runnable action) {
    if (socket.channelHandlerContext().executor().inEventLoop()) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  private void arrived(Object message) {
    if (!(message instanceof ByteBuf bytes) || dropped) {
      ReferenceCountUtil.release(message);
    } else if (destination == null) {
      waiting.add(bytes);
    } else {
      forward(bytes);
    }
  }

  private void forward(ByteBuf bytes) {
    destination.write(BufferInternal.buffer(bytes)).onComplete(written -> bytes.release());
    if (destination.writeQueueFull()) {
      pause();
      destination.drainHandler(v -> resume()); // a drain handler is called once
    }
  }

  private void pause() {
    paused = true;
    socket.pause();
  }

  private void resume() {
    paused = false;
    socket.resume();
    if (closed) {
      context.runOnContext(v -> overIfAllCame());
    }
  }

  /**
   * The close comes before what the connection still holds for a paused reader, which a resume hands on in the
   * same turn of the event loop (the end of a stream that Vert.x passes in order goes only to its own handler):
   * so it is over in a later turn, once nothing paused it again.
   */
  private void closed() {
    closed = true;
    if (destination != null) {
      context.runOnContext(v -> overIfAllCame());
    }
  }

  private void overIfAllCame() {
    if (paused || handedOn.future().isComplete()) {
      return; // the next resume looks again
    }
    if (failure != null) {
      handedOn.tryFail(failure);
    } else {
      handedOn.tryComplete();
    }
  }

  private void releaseWaiting() {
    while (!waiting.isEmpty()) {
      waiting.poll().release();
    }
  }
}
