package io.gosync.control;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The best rate each target has landed at over a straggler period, in any task this source has run since it
 * started: what tells a slow tree from a slow node in it. Held-back times say where a tree is slow, not whether:
 * on the lab, a healthy chain at full rate had an edge held back 98 % of a period (the queue sits at whichever
 * edge is a little slower than its input), as a chain behind a host at a quarter of the rate does. Only its rate
 * against what the same nodes did before tells them apart. Kept for the most recently heard {@link #MAX_NODES}
 * nodes; lives on the control event loop.
 */
final class BestRates {

  /** Targets remembered: more than a cluster's full mesh of members holds (DESIGN.md, "Fleet scale"). */
  static final int MAX_NODES = 10_000;

  private final Map<String, Double> best = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Double> eldest) {
      return size() > MAX_NODES;
    }
  };

  /** {@code node} landed at {@code bytesPerMs} over a whole period. */
  void saw(String node, double bytesPerMs) {
    best.merge(node, bytesPerMs, Math::max);
  }

  /** The best any of {@code nodes} has done; 0 when none has been seen over a period. */
  double bestOf(Collection<String> nodes) {
    double top = 0;
    for (String node : nodes) {
      top = Math.max(top, best.getOrDefault(node, 0.0));
    }
    return top;
  }
}
