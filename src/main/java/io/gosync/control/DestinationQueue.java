package io.gosync.control;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.HashMap;
import java.util.Map;

/**
 * Serialises the tasks that write one destination on this node: each waits for the one before
 * it, in arrival order. Tasks on different destinations do not wait for each other. Used from
 * the task control verticle's event loop only.
 */
final class DestinationQueue {

  private final Map<String, Promise<Void>> last = new HashMap<>();

  /** @return a future that completes with the release action once the destination is ours */
  Future<Runnable> acquire(String destination) {
    Promise<Void> mine = Promise.promise();
    Promise<Void> before = last.put(destination, mine);
    Future<Void> turn = before == null ? Future.succeededFuture() : before.future();
    return turn.map(v -> () -> {
      mine.tryComplete();
      last.remove(destination, mine);
    });
  }
}
