package io.gosync.relay.wire;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Relay tree planning; the timeouts that depend on a tree's shape are StallLadderTest's. */
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
}
