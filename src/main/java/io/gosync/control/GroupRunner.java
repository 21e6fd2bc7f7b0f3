package io.gosync.control;

import io.vertx.core.Future;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.function.BiFunction;

/**
 * Runs a task's groups, at most {@code maxParallel} at once, in the order given: each group gets
 * its number (1, 2, …) when it starts, and the next waiting group starts when one completes,
 * however it completes. Lives on the control event loop.
 */
final class GroupRunner<G> {

  private final int maxParallel;
  private final BiFunction<Integer, G, Future<Void>> send;
  private final Deque<G> waiting = new ArrayDeque<>();
  private int running;
  private int started;

  /** @param send streams group {@code G} as number {@code n}; its future completes when the group is over */
  GroupRunner(int maxParallel, BiFunction<Integer, G, Future<Void>> send) {
    this.maxParallel = maxParallel;
    this.send = send;
  }

  void run(Collection<G> groups) {
    waiting.addAll(groups);
    startWhatFits();
  }

  /** Groups started so far. */
  int started() {
    return started;
  }

  private void startWhatFits() {
    while (running < maxParallel && !waiting.isEmpty()) {
      G group = waiting.poll();
      running++;
      send.apply(++started, group).onComplete(over -> {
        running--;
        startWhatFits();
      });
    }
  }
}
