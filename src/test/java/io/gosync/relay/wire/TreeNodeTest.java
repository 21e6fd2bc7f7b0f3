package io.gosync.relay.wire;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Relay tree planning, and the timeouts that depend on a tree's shape. */
class TreeNodeTest {

  private static List<TreeNode> targets(int count) {
    List<TreeNode> targets = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      targets.add(new TreeNode("t" + i, "h", i, List.of()));
    }
    return targets;
  }

  @Test
  void fanoutOneIsAChain() {
    List<TreeNode> top = TreeNode.plan(targets(7), 1);
    assertEquals(1, top.size());
    assertEquals(7, top.get(0).size());
    assertEquals(6, top.get(0).height());
  }

  @Test
  void fanoutTwoAndThreeAreBalancedAndKeepTheOrder() {
    List<TreeNode> two = TreeNode.plan(targets(7), 2);
    assertEquals(List.of("t1", "t2"), two.stream().map(TreeNode::name).toList());
    assertEquals(List.of("t3", "t4"), two.get(0).children().stream().map(TreeNode::name).toList());
    assertEquals(List.of("t5", "t6"), two.get(1).children().stream().map(TreeNode::name).toList());
    assertEquals(List.of("t7"), two.get(0).children().get(0).children().stream().map(TreeNode::name).toList());
    List<TreeNode> three = TreeNode.plan(targets(7), 3);
    assertEquals(3, three.size());
    assertEquals(1, three.stream().mapToInt(TreeNode::height).max().orElseThrow());
    assertEquals(7, three.stream().mapToInt(TreeNode::size).sum());
  }

  @Test
  void aReceiverWaitsLongerThanAnyAncestorMayPauseIt() {
    long stall = 30_000;
    for (int height = 0; height < 60; height++) {
      StreamHeader header = new StreamHeader("t", 1, "s", "p", new TreeNode("n", "h", 1, List.of()), height, false, 1, 1);
      // The longest an ancestor waits for a stalled child is stall + childHeight * stall / 2, childHeight < height.
      long longestAncestorWait = stall + Math.max(0, height - 1) * (stall / 2);
      assertTrue(header.idleLimitMs(stall) > longestAncestorWait + stall / 4,
          "height " + height + ": idle " + header.idleLimitMs(stall) + " vs " + longestAncestorWait);
    }
  }
}
