package io.gosync.control;

import io.gosync.protocol.NodeInfo;
import io.gosync.relay.wire.TreeNode;

import java.util.List;

/**
 * The relay tree of one group as a value: its members in the order the tree is filled, and the
 * fan-out. The tree itself is derived ({@link #children}), so a plan without a failed member is
 * simply the same plan over the rest ({@link #without}).
 */
record RelayPlan(List<NodeInfo> members, int fanout) {

  RelayPlan {
    members = List.copyOf(members);
    if (fanout < 1) {
      throw new IllegalArgumentException("fanout: must be 1 or more, got " + fanout);
    }
  }

  /** @return the source's children, each with the subtree it must serve (see {@link TreeNode#plan}) */
  List<TreeNode> children() {
    List<TreeNode> leaves = members.stream()
        .map(member -> new TreeNode(member.name(), member.host(), member.dataPort(), List.of())).toList();
    return TreeNode.plan(leaves, fanout);
  }

  /** The plan for the other members, in the same order; this plan again if {@code node} is no member. */
  RelayPlan without(String node) {
    return new RelayPlan(members.stream().filter(member -> !member.name().equals(node)).toList(), fanout);
  }

  boolean isEmpty() {
    return members.isEmpty();
  }
}
