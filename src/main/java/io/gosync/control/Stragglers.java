package io.gosync.control;

import io.gosync.relay.wire.TreeNode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Tells, from the progress reports of one group's relay tree, which node holds the others back. Through
 * backpressure a slow node slows every node of its tree to its own rate, so rates cannot tell it; what each
 * node's tee was held back by can. Each report says, per branch of the node's tee (its own landing, named by
 * the node, and each child), how long it was full. Over the last {@code periodMs}, the straggler is the child of
 * the deepest node (the source included) held back by a child for {@code heldShare} of the time, when that
 * child's edges out were held back for at most the rest of the time and its children starve (their own landings
 * held back no longer either): the edge into it is where the stream is slow. A link
 * slow both ways takes in no faster than it gives out, so its host's tee is not held back by its own child
 * (measured on the lab, a host at a quarter of the rate: 98-99 % on the edge into it, 0 % on the two edges
 * below); a relay with a slow disk is held back by its landing and starves its children the same way. On
 * saturated links every edge is held back, so none starves below and nobody is moved; for the same reason a
 * leaf is never moved. Where a tree is held back does not say how badly: a chain at full rate queues at
 * whichever edge is a little slower than its input, held back as much (98 %, on the lab). So the straggler must
 * also have landed at most {@code ratePercent} of the best rate its group's nodes showed over a period in this
 * source's tasks ({@link BestRates}); a source that saw none yet moves nobody.
 * <p>
 * A node's own landing held back tells nothing alone: on the lab's shared disk, the first relay of a healthy
 * durable chain was held back by its landing for over 90 % of a period, and nothing was wrong with it. Where
 * every landing is slow (small files, each fsync'd, on one disk), the source's edge is the one held back, as
 * the source always has data: that the children of the first node are held back by their own landings, not
 * starved, is what tells it from a straggler. A host slow only outwards is not told apart from its child: that
 * child would be moved. Lives on the control event loop.
 */
final class Stragglers {

  /** Move {@code straggler} out of the tree: {@code parent} feeds it now. */
  record Move(String straggler, String parent, String why) {
  }

  private record Sample(long atMs, Map<String, Long> held, long bytes) {
  }

  private final long periodMs;
  private final double heldShare;
  private final double rateShare;
  private final BestRates rates;
  private final String source;
  private final Map<String, String> parents = new HashMap<>();
  private final Map<String, Deque<Sample>> samples = new HashMap<>();
  private final Set<String> moved = new HashSet<>();
  private final Map<String, Integer> depths = new HashMap<>();

  /**
   * @param top the group's tree below {@code source}
   * @param ratePercent a node is moved only when it landed at most this share of its group's best rate
   */
  Stragglers(String source, List<TreeNode> top, long periodMs, int heldPercent, int ratePercent, BestRates rates) {
    this.source = source;
    this.periodMs = periodMs;
    this.heldShare = heldPercent / 100.0;
    this.rateShare = ratePercent / 100.0;
    this.rates = rates;
    collect(source, top);
  }

  private void collect(String parent, List<TreeNode> nodes) {
    for (TreeNode node : nodes) {
      parents.put(node.name(), parent);
      collect(node.name(), node.children());
    }
  }

  /** Whether a report of the source's with these branches is about this tree: it names one of its top nodes. */
  boolean fedBySource(Map<String, Long> held) {
    return held.keySet().stream().anyMatch(branch -> source.equals(parents.get(branch)));
  }

  /**
   * A node's report, or the source's own: its tee's branches and how long each was full so far (ms), and the
   * bytes it landed (the source's are not counted).
   */
  void heard(String node, Map<String, Long> held, long bytes, long nowMs) {
    if (!node.equals(source) && !parents.containsKey(node) || moved.contains(node)) {
      return;
    }
    Deque<Sample> kept = samples.computeIfAbsent(node, n -> new ArrayDeque<>());
    kept.addLast(new Sample(nowMs, held, bytes));
    // Keep one sample at least a period old: the baseline of the period.
    while (kept.size() > 2) {
      Iterator<Sample> oldest = kept.iterator();
      oldest.next();
      if (nowMs - oldest.next().atMs() < periodMs) {
        break;
      }
      kept.removeFirst();
    }
    double rate = rate(node, nowMs);
    if (rate >= 0 && !node.equals(source)) {
      rates.saw(node, rate);
    }
  }

  /** An ancestor took {@code node} over: it feeds it from here on. */
  void relinked(String node, String parent) {
    if (parents.containsKey(node)) {
      parents.put(node, parent);
      depths.clear();
    }
  }

  /** The node to move now, or null; a node is moved once, and the others' samples start over after a move. */
  Move straggler(long nowMs) {
    if (parents.size() - moved.size() < 2) {
      return null; // alone, it holds nobody back
    }
    Move move = slowEdge(nowMs);
    if (move != null) {
      moved.add(move.straggler());
      parents.replaceAll((node, parent) -> parent.equals(move.straggler()) ? move.parent() : parent);
      depths.clear();
      samples.clear();
    }
    return move;
  }

  private Move slowEdge(long nowMs) {
    String deepest = null;
    String child = null;
    double held = 0;
    for (Map.Entry<String, String> edge : parents.entrySet()) {
      String parent = edge.getValue();
      double share = share(parent, edge.getKey(), nowMs);
      if (share >= heldShare && !moved.contains(edge.getKey()) && (deepest == null || depth(parent) > depth(deepest))) {
        deepest = parent;
        child = edge.getKey();
        held = share;
      }
    }
    if (deepest == null || !starvesBelow(child, nowMs)) {
      return null;
    }
    double rate = rate(child, nowMs);
    int siblings = siblings(child);
    double best = rates.bestOf(parents.keySet());
    if (rate < 0 || rate * siblings > rateShare * best) {
      return null; // no slower than its tree can go: moving it would not speed the others up
    }
    return new Move(child, deepest, percent(held) + " of the last " + periodMs + " ms the stream from " + deepest
        + " to " + child + " was held back, and " + child + " landed " + mibPerSecond(rate)
        + (siblings > 1 ? " (× " + siblings + ", the children of " + deepest + ")" : "") + " against its group's best "
        + mibPerSecond(best));
  }

  /**
   * How many nodes share {@code node}'s parent's link out. Where that link is what limits them, each gets a k-th
   * of it, so a node's rate times k is what is held against the best: a tree of fan-out 2 lands at half a
   * chain's rate on a switch. (On the lab each host's link in is shaped, and such a tree's nodes each landed at
   * a chain's rate: then a straggler must be k times slower to be moved.)
   */
  private int siblings(String node) {
    String parent = parents.get(node);
    return (int) parents.values().stream().filter(parent::equals).count();
  }

  /** Bytes per ms {@code node} landed over the last period; -1 without a full period. */
  private double rate(String node, long nowMs) {
    if (!hasFullPeriod(node, nowMs)) {
      return -1;
    }
    Deque<Sample> kept = samples.get(node);
    return (double) (kept.getLast().bytes() - kept.getFirst().bytes()) / (kept.getLast().atMs() - kept.getFirst().atMs());
  }

  private static String mibPerSecond(double bytesPerMs) {
    return String.format(Locale.ROOT, "%.1f MiB/s", bytesPerMs * 1000 / (1 << 20));
  }

  /**
   * Whether {@code node} has children, every edge out of it was held back for at most 1 - heldShare, and so was
   * each child's own landing: the children wait for the stream, not for their disks.
   */
  private boolean starvesBelow(String node, long nowMs) {
    boolean any = false;
    double starved = 1 - heldShare;
    for (Map.Entry<String, String> edge : parents.entrySet()) {
      if (edge.getValue().equals(node)) {
        String child = edge.getKey();
        any = true;
        if (share(node, child, nowMs) > starved || !hasFullPeriod(child, nowMs) || share(child, child, nowMs) > starved) {
          return false;
        }
      }
    }
    return any && hasFullPeriod(node, nowMs);
  }

  private boolean hasFullPeriod(String node, long nowMs) {
    Deque<Sample> kept = samples.get(node);
    return kept != null && kept.size() >= 2 && kept.getLast().atMs() - kept.getFirst().atMs() >= periodMs
        && nowMs - kept.getLast().atMs() <= periodMs;
  }

  /** The share of the last period that {@code node}'s branch {@code branch} was full; 0 without a full period. */
  private double share(String node, String branch, long nowMs) {
    Deque<Sample> kept = samples.get(node);
    if (kept == null || kept.size() < 2) {
      return 0;
    }
    Sample first = kept.getFirst();
    Sample last = kept.getLast();
    long span = last.atMs() - first.atMs();
    if (span < periodMs || nowMs - last.atMs() > periodMs) {
      return 0;
    }
    Long before = first.held().get(branch);
    Long after = last.held().get(branch);
    return before == null || after == null ? 0 : (double) (after - before) / span;
  }

  /** Hops from the source, kept until the tree changes: asked for every edge at every report. */
  private int depth(String node) {
    Integer known = depths.get(node);
    if (known == null) {
      int depth = 0;
      for (String at = node; parents.containsKey(at); at = parents.get(at)) {
        depth++;
      }
      known = depth;
      depths.put(node, known);
    }
    return known;
  }

  private static String percent(double share) {
    return Math.round(share * 100) + " %";
  }
}
