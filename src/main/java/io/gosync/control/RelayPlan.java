package io.gosync.control;

import io.gosync.relay.wire.TreeNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The relay tree of one group as a value: its members in the order the tree is filled, and the
 * fan-out. The tree itself is derived ({@link #children}), so a plan without a failed member is
 * simply the same plan over the rest ({@link #without}). Each member's data address is the one the
 * member itself gave in its prepare reply.
 */
record RelayPlan(List<Member> members, int fanout) {

  /** A member of the group and where its data port listens, as the member said. */
  record Member(String name, String host, int dataPort) {
  }

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

  /**
   * Who may feed each member: its parent in {@link #children}, the parent's parent, …, and last the
   * source. Any of them may, because a node adopts the children of a child it cannot reach or loses.
   */
  Map<String, List<String>> ancestors(String source) {
    Map<String, List<String>> ancestors = new LinkedHashMap<>();
    collect(children(), List.of(source), ancestors);
    return ancestors;
  }

  private static void collect(List<TreeNode> nodes, List<String> above, Map<String, List<String>> ancestors) {
    for (TreeNode node : nodes) {
      ancestors.put(node.name(), above);
      List<String> below = new ArrayList<>(above.size() + 1);
      below.add(node.name());
      below.addAll(above);
      collect(node.children(), List.copyOf(below), ancestors);
    }
  }

  /**
   * The tree of {@link #children} with the nodes named in {@code cut} taken out and their children handed to
   * their parent, as an adopting relay would: every member keeps only ancestors it was told of.
   */
  List<TreeNode> childrenWithout(Set<String> cut) {
    return cut(children(), cut);
  }

  private static List<TreeNode> cut(List<TreeNode> nodes, Set<String> cut) {
    List<TreeNode> kept = new ArrayList<>();
    for (TreeNode node : nodes) {
      List<TreeNode> children = cut(node.children(), cut);
      if (cut.contains(node.name())) {
        kept.addAll(children);
      } else {
        kept.add(new TreeNode(node.name(), node.host(), node.port(), children));
      }
    }
    return kept;
  }

  /** The plan for the other members, in the same order; this plan again if {@code node} is no member. */
  RelayPlan without(String node) {
    return new RelayPlan(members.stream().filter(member -> !member.name().equals(node)).toList(), fanout);
  }

  boolean isEmpty() {
    return members.isEmpty();
  }
}
