package io.gosync.control;

import io.gosync.relay.wire.TreeNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A group's relay tree as a value: planned from its members, and planned again without one of them. */
class RelayPlanTest {

  private static RelayPlan.Member node(String name) {
    return new RelayPlan.Member(name, "10.0.0." + name.substring(3), 7000 + Integer.parseInt(name.substring(3)));
  }

  private static List<RelayPlan.Member> nodes(String... names) {
    return List.of(names).stream().map(RelayPlanTest::node).toList();
  }

  @Test
  void theTreeIsTheFanoutPlanOverTheMembersInOrder() {
    RelayPlan plan = new RelayPlan(nodes("web1", "web2", "web3", "web4", "web5"), 2);

    List<TreeNode> children = plan.children();

    // The source feeds web1 and web2; web1 feeds web3 and web4; web2 feeds web5.
    assertEquals(Map.of("web1", "source", "web2", "source", "web3", "web1", "web4", "web1", "web5", "web2"),
        parents(children));
    TreeNode web1 = children.get(0);
    assertEquals(new TreeNode("web1", "10.0.0.1", 7001, web1.children()), web1);
  }

  @Test
  void withoutAFailedNodeItsChildrenMoveUpAndTheOrderIsKept() {
    RelayPlan plan = new RelayPlan(nodes("web1", "web2", "web3", "web4", "web5"), 2);

    RelayPlan rest = plan.without("web1");

    assertEquals(nodes("web2", "web3", "web4", "web5"), rest.members());
    assertEquals(2, rest.fanout());
    assertEquals(Map.of("web2", "source", "web3", "source", "web4", "web2", "web5", "web2"), parents(rest.children()));
  }

  @Test
  void aChainWithoutItsMiddleIsTheShorterChain() {
    RelayPlan chain = new RelayPlan(nodes("web1", "web2", "web3"), 1);

    assertEquals(Map.of("web1", "source", "web3", "web1"), parents(chain.without("web2").children()));
  }

  @Test
  void withoutANodeThatIsNoMemberIsTheSamePlan() {
    RelayPlan plan = new RelayPlan(nodes("web1", "web2"), 3);

    assertEquals(plan, plan.without("web9"));
  }

  @Test
  void withoutItsLastMemberThePlanIsEmpty() {
    RelayPlan plan = new RelayPlan(nodes("web1"), 2).without("web1");

    assertTrue(plan.isEmpty());
    assertEquals(List.of(), plan.children());
  }

  @Test
  void thePlanIsAValue() {
    List<RelayPlan.Member> members = new ArrayList<>(nodes("web1", "web2"));
    RelayPlan plan = new RelayPlan(members, 2);
    members.clear();

    assertEquals(nodes("web1", "web2"), plan.members());
    assertThrows(IllegalArgumentException.class, () -> new RelayPlan(nodes("web1"), 0));
  }

  @Test
  void eachMemberMayBeFedByEveryAncestorUpToTheSource() {
    RelayPlan plan = new RelayPlan(nodes("web1", "web2", "web3", "web4", "web5"), 2);

    assertEquals(Map.of("web1", List.of("source"), "web2", List.of("source"), "web3", List.of("web1", "source"),
        "web4", List.of("web1", "source"), "web5", List.of("web2", "source")), plan.ancestors("source"));
  }

  @Test
  void aCutMemberIsReplacedByItsChildrenSoEveryoneKeepsAParentItWasToldOf() {
    RelayPlan chain = new RelayPlan(nodes("web1", "web2", "web3", "web4"), 1);

    List<TreeNode> tree = chain.childrenWithout(Set.of("web2"));

    assertEquals(Map.of("web1", "source", "web3", "web1", "web4", "web3"), parents(tree));
    assertTrue(chain.ancestors("source").get("web3").contains("web1"));
  }

  private static Map<String, String> parents(List<TreeNode> children) {
    Map<String, String> parents = new LinkedHashMap<>();
    collect("source", children, parents);
    return parents;
  }

  private static void collect(String parent, List<TreeNode> children, Map<String, String> parents) {
    for (TreeNode child : children) {
      parents.put(child.name(), parent);
      collect(child.name(), child.children(), parents);
    }
  }
}
