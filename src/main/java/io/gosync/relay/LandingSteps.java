package io.gosync.relay;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The landing sink's asynchronous steps. Each continues on a later turn of the sink's context, or
 * hands its failure to the sink; those that bring a file to its final name are counted while they
 * run, so that the end of the stream, and a failure's report, can wait for them.
 */
final class LandingSteps {

  /**
   * Small files land on worker threads while parsing goes on, up to this many at once. Landing
   * one at a time paused the tee for every small file (~1 ms each), and in a chain each node's
   * pauses held back every node above it.
   */
  static final int IN_FLIGHT = 8;

  private final Context context;
  private final Handler<String> failed;
  private final Set<Future<?>> landing = new HashSet<>();

  LandingSteps(Context context, Handler<String> failed) {
    this.context = context;
    this.failed = failed;
  }

  /**
   * Continues after an asynchronous step, always on a later turn of the sink's context. A step
   * can finish before its handler is attached (a tiny file lands that fast); continuing at once
   * would resume parsing, or check for the end of the stream, while an outer parse loop still
   * holds unparsed bytes. A failure is reported as {@code failing: cause}.
   */
  <T> void later(Future<T> step, Handler<T> next, String failing) {
    step.onComplete(done -> context.runOnContext(v -> {
      if (done.succeeded()) {
        next.handle(done.result());
      } else {
        failed.handle(failing + ": " + done.cause().getMessage());
      }
    }));
  }

  /** Like {@link #later}, for a step that lands a file: counted until it is over. */
  <T> void landing(Future<T> step, Handler<T> next, String failing) {
    landing.add(step);
    later(step, result -> {
      landing.remove(step);
      next.handle(result);
    }, failing);
  }

  boolean isIdle() {
    return landing.isEmpty();
  }

  boolean isFull() {
    return landing.size() >= IN_FLIGHT;
  }

  /**
   * Completes once every file still landing has landed or removed its temporary file, never
   * failing: a failure is reported only then, so a failed target is never seen with one left behind.
   */
  Future<?> settled() {
    return Future.join(List.copyOf(landing)).otherwiseEmpty();
  }
}
