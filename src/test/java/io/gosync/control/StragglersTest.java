package io.gosync.control;

import io.gosync.relay.wire.TreeNode;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Who holds a chain back, from what each node's tee was held back by: the reports a chain src, h1 … h4 sends
 * when one host is slow, as backpressure makes them (every tee above the slow spot full, those below starved).
 */
class StragglersTest {

  private static final long PERIOD = 5_000;

  /** h1 → h2 → h3 → h4 below src. */
  private static List<TreeNode> chain() {
    TreeNode h4 = new TreeNode("h4", "10.0.0.5", 7000, List.of());
    TreeNode h3 = new TreeNode("h3", "10.0.0.4", 7000, List.of(h4));
    TreeNode h2 = new TreeNode("h2", "10.0.0.3", 7000, List.of(h3));
    return List.of(new TreeNode("h1", "10.0.0.2", 7000, List.of(h2)));
  }

  /** Bytes per ms a healthy chain lands at: 25 MB/s, a 200 Mbit/s link. */
  private static final double FULL_RATE = 25_000;

  private final BestRates rates = new BestRates();
  private final Stragglers stragglers = new Stragglers("src", chain(), PERIOD, 90, 50, rates);

  /** An earlier task's chain ran at full rate. */
  StragglersTest() {
    rates.saw("h4", FULL_RATE);
  }

  /** A chain held back by a host at a quarter of the rate: every node lands at that rate. */
  private void report(Map<String, List<String>> full) {
    report(full, FULL_RATE / 4);
  }

  /**
   * Reports every 500 ms for a period and a half; {@code full} names the branches each node's tee found full, and
   * each node lands {@code bytesPerMs}.
   */
  private void report(Map<String, List<String>> full, double bytesPerMs) {
    for (long at = 0; at <= PERIOD * 3 / 2; at += 500) {
      for (String node : List.of("src", "h1", "h2", "h3", "h4")) {
        Map<String, Long> held = new HashMap<>();
        for (String branch : node.equals("src") ? List.of("h1") : List.of(node, next(node))) {
          held.put(branch, full.getOrDefault(node, List.of()).contains(branch) ? at * 95 / 100 : at / 50);
        }
        stragglers.heard(node, held, (long) (at * bytesPerMs), at);
      }
    }
  }

  private static String next(String node) {
    return "h" + (Integer.parseInt(node.substring(1)) + 1);
  }

  /**
   * h2's link is slow both ways: h1 waits on h2; h2 takes in no faster than it gives out, so it waits on
   * nothing; h3 and h4 starve. As the lab showed: 99 % on the edge into h2.
   */
  @Test
  void aHostSlowBothWaysIsTheChildOfTheDeepestEdgeHeldBack() {
    report(Map.of("h1", List.of("h2")));

    Stragglers.Move move = stragglers.straggler(PERIOD * 3 / 2);

    assertEquals("h2", move.straggler());
    assertEquals("h1", move.parent());
    assertEquals("95 % of the last 5000 ms the stream from h1 to h2 was held back, and h2 landed 6.0 MiB/s against"
        + " its group's best 23.8 MiB/s", move.why());
  }

  /**
   * A chain at full rate queues at whichever edge is a little slower than its input: held back as behind a
   * straggler, as the lab showed (98 % on the edge into the node an ancestor had just taken over). Its rate tells.
   */
  @Test
  void anEdgeHeldBackAtTheGroupsBestRateMovesNobody() {
    report(Map.of("h1", List.of("h2")), FULL_RATE * 0.9);

    assertNull(stragglers.straggler(PERIOD * 3 / 2));
  }

  /** Without an earlier rate to hold it against, slow cannot be told from the network's pace: nobody moves. */
  @Test
  void aSourceThatSawNoRateYetMovesNobody() {
    Stragglers first = new Stragglers("src", chain(), PERIOD, 90, 50, new BestRates());
    for (long at = 0; at <= PERIOD * 3 / 2; at += 500) {
      first.heard("h1", Map.of("h1", 0L, "h2", at * 95 / 100), at * 6, at);
      first.heard("h2", Map.of("h2", 0L, "h3", 0L), at * 6, at);
    }

    assertNull(first.straggler(PERIOD * 3 / 2));
  }

  /** The deepest edge held back counts: above it, every tee waits on the one below through backpressure. */
  @Test
  void everyTeeAboveTheSlowSpotWaitsButTheDeepestEdgeNamesIt() {
    report(Map.of("h1", List.of("h2"), "h2", List.of("h3")));

    assertEquals("h3", stragglers.straggler(PERIOD * 3 / 2).straggler());
  }

  /**
   * Every edge held back: links saturated, or the leaf slow; the two look alike, and no node below starves.
   * Nobody is moved: moving a healthy leaf would only make it later.
   */
  @Test
  void aChainHeldBackToItsLeafMovesNobody() {
    report(Map.of("h1", List.of("h2"), "h2", List.of("h3"), "h3", List.of("h4")));

    assertNull(stragglers.straggler(PERIOD * 3 / 2));
  }

  /**
   * A tree of fan-out 2: the source's link is shared by h1 and h2, each landing half the rate a chain's first node
   * did; held back as both are, neither is slow for that.
   */
  @Test
  void aNodeThatSharesItsParentsLinkIsHeldAgainstItsShare() {
    TreeNode h3 = new TreeNode("h3", "10.0.0.4", 7000, List.of());
    TreeNode h4 = new TreeNode("h4", "10.0.0.5", 7000, List.of());
    List<TreeNode> top = List.of(new TreeNode("h1", "10.0.0.2", 7000, List.of(h3)),
        new TreeNode("h2", "10.0.0.3", 7000, List.of(h4)));
    Stragglers tree = new Stragglers("src", top, PERIOD, 90, 50, rates);
    for (long at = 0; at <= PERIOD * 3 / 2; at += 500) {
      long half = (long) (at * FULL_RATE * 0.45);
      tree.heard("src", Map.of("h1", at * 95 / 100, "h2", at * 95 / 100), 0, at);
      tree.heard("h1", Map.of("h1", at / 50, "h3", at / 50), half, at);
      tree.heard("h2", Map.of("h2", at / 50, "h4", at / 50), half, at);
      tree.heard("h3", Map.of("h3", at / 50), half, at);
      tree.heard("h4", Map.of("h4", at / 50), half, at);
    }

    assertNull(tree.straggler(PERIOD * 3 / 2));
  }

  /** The source reports its own tee: a first node slow both ways is found by the edge into it, as any. */
  @Test
  void aSlowFirstNodeIsFoundByTheSourcesEdge() {
    report(Map.of("src", List.of("h1")));

    Stragglers.Move move = stragglers.straggler(PERIOD * 3 / 2);

    assertEquals("h1", move.straggler());
    assertEquals("src", move.parent());
  }

  /**
   * Every landing slow (small files, each fsync'd, on one disk): the source, which always has data, is held back
   * by its edge, and the first node's edge out is not; but its child waits for its own disk, not for the stream.
   */
  @Test
  void everyLandingSlowMovesNobody() {
    report(Map.of("src", List.of("h1"), "h1", List.of("h1"), "h2", List.of("h2"), "h3", List.of("h3"),
        "h4", List.of("h4")));

    assertNull(stragglers.straggler(PERIOD * 3 / 2));
  }

  /** A leaf is never moved, not even for a slow disk: it is last already, and a saturated chain looks alike. */
  @Test
  void aLeafIsNotMovedEvenForItsLanding() {
    report(Map.of("h1", List.of("h2"), "h2", List.of("h3"), "h3", List.of("h4"), "h4", List.of("h4")));

    assertNull(stragglers.straggler(PERIOD * 3 / 2));
  }

  /** A relay with a slow disk is told by its edges like a slow link: held back above, starved below. */
  @Test
  void aRelayWithASlowDiskIsMoved() {
    report(Map.of("h1", List.of("h2"), "h2", List.of("h2")));

    Stragglers.Move move = stragglers.straggler(PERIOD * 3 / 2);

    assertEquals("h2", move.straggler());
    assertEquals("h1", move.parent());
  }

  /** The lab's shared disk: a healthy relay held back by its own landing is not a straggler. */
  @Test
  void aRelayHeldBackByItsLandingAloneIsNotMoved() {
    report(Map.of("h1", List.of("h1")));

    assertNull(stragglers.straggler(PERIOD * 3 / 2));
  }

  @Test
  void nobodyHeldBackForMostOfThePeriodIsNobody() {
    report(Map.of());

    assertNull(stragglers.straggler(PERIOD * 3 / 2));
  }

  @Test
  void lessThanAPeriodOfReportsTellsNothing() {
    for (long at = 0; at < PERIOD; at += 500) {
      stragglers.heard("h1", Map.of("h1", 0L, "h2", at), at, at);
      stragglers.heard("h2", Map.of("h2", 0L, "h3", at), at, at);
    }

    assertNull(stragglers.straggler(PERIOD - 500));
  }

  @Test
  void aMovedNodeIsMovedOnceAndItsChildHasItsParent() {
    report(Map.of("h1", List.of("h2")));
    assertEquals("h2", stragglers.straggler(PERIOD * 3 / 2).straggler());

    // h1 feeds h3 now; h2's reports are no longer this tree's, and h1 still waits on a branch named h2 no more.
    for (long at = 0; at <= PERIOD * 3 / 2; at += 500) {
      stragglers.heard("h2", Map.of("h2", 0L, "h3", at), at, at);
      stragglers.heard("h1", Map.of("h1", 0L, "h3", 0L), at, at);
      stragglers.heard("h3", Map.of("h3", 0L, "h4", 0L), at, at);
    }
    assertNull(stragglers.straggler(PERIOD * 3 / 2));
  }

  @Test
  void aTreeOfOneMovesNobody() {
    Stragglers one = new Stragglers("src", List.of(new TreeNode("h1", "10.0.0.2", 7000, List.of())), PERIOD, 90, 50,
        rates);
    for (long at = 0; at <= PERIOD * 3 / 2; at += 500) {
      one.heard("h1", Map.of("h1", at), at, at);
    }

    assertNull(one.straggler(PERIOD * 3 / 2));
  }
}
