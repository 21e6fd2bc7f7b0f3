package io.gosync.relay;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * A write stream of our own that reports its failures itself (never through an exception
 * handler) and sizes its queue itself: the two WriteStream settings it ignores.
 */
abstract class QuietSink implements WriteStream<Buffer> {

  @Override
  public final WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    return this;
  }
}
