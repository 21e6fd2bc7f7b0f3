package io.gosync.control;

import io.gosync.relay.wire.TreeNode;
import io.gosync.testkit.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.gosync.testkit.TestCluster.result;
import static io.gosync.testkit.Trees.assertNoTemporaryFiles;
import static io.gosync.testkit.Trees.assertSameTree;
import static io.gosync.testkit.Trees.file;
import static io.gosync.testkit.Trees.mixed;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Relay trees over seven targets, and grouping of targets by need-list. */
class RelayTreeTest {

  private static final List<String> SEVEN = List.of("node1", "node2", "node3", "node4", "node5", "node6", "node7");

  private final TestCluster cluster = TestCluster.shared();

  @ParameterizedTest(name = "fan-out {0}")
  @ValueSource(ints = {1, 2, 3})
  void sevenTargetsThroughATreeOfFanout(int fanout) throws IOException {
    String path = "/data/tree/fanout" + fanout;
    Path src = mixed(cluster.path("node0", path), fanout, 2 << 20);
    JsonObject task = cluster.sync("node0", new JsonObject().put("src", path).put("dst", path)
        .put("targets", new JsonArray(SEVEN)).put("fanout", fanout));

    Map<String, String> expectedParents = parents(fanout);
    for (String target : SEVEN) {
      JsonObject line = result(task, target);
      assertEquals("ok", line.getString("status"), line.encode());
      assertEquals(expectedParents.get(target), line.getString("via"), "who fed " + target + ": " + task.encodePrettily());
      assertSameTree(src, cluster.path(target, path));
      assertNoTemporaryFiles(cluster.path(target, path));
    }
    assertEquals(1, task.getInteger("groups"));
  }

  /** The parent of each target in the tree the source plans (node0 is the source). */
  private static Map<String, String> parents(int fanout) {
    List<TreeNode> targets = new ArrayList<>();
    SEVEN.forEach(name -> targets.add(new TreeNode(name, "h", 1, List.of())));
    Map<String, String> parents = new HashMap<>();
    collect("node0", TreeNode.plan(targets, fanout), parents);
    assertEquals(7, parents.size());
    if (fanout == 1) {
      assertEquals("node6", parents.get("node7"), "fan-out 1 is a chain");
    }
    return parents;
  }

  private static void collect(String parent, List<TreeNode> children, Map<String, String> parents) {
    for (TreeNode child : children) {
      parents.put(child.name(), parent);
      collect(child.name(), child.children(), parents);
    }
  }

  @Test
  void targetsWithDifferentNeedListsFormTwoGroups() throws IOException {
    String path = "/data/tree/groups";
    Path src = mixed(cluster.path("node0", path), 7, 1 << 20);
    List<String> warm = List.of("node3", "node4");
    cluster.sync("node0", new JsonObject().put("src", path).put("dst", path).put("targets", new JsonArray(warm)));
    file(src, "added/one.txt", "new since the first sync\n");
    file(src, "added/two.txt", "also new\n");

    List<String> all = List.of("node1", "node2", "node3", "node4");
    JsonObject task = cluster.sync("node0", new JsonObject().put("src", path).put("dst", path)
        .put("targets", new JsonArray(all)).put("fanout", 1));

    assertEquals(2, task.getInteger("groups"), task.encodePrettily());
    long everything = task.getLong("files");
    for (String target : all) {
      JsonObject line = result(task, target);
      assertEquals("ok", line.getString("status"), line.encode());
      assertEquals(warm.contains(target) ? 2 : everything, line.getLong("files"), line.encode());
      assertSameTree(src, cluster.path(target, path));
    }
    // Each group is its own chain from the source: node1 -> node2, and node3 -> node4.
    assertEquals("node0", result(task, "node1").getString("via"));
    assertEquals("node1", result(task, "node2").getString("via"));
    assertEquals("node0", result(task, "node3").getString("via"));
    assertEquals("node3", result(task, "node4").getString("via"));
  }
}
