package io.gosync.control;

import io.gosync.testkit.FakeTarget;
import io.gosync.testkit.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static io.gosync.testkit.TestCluster.result;
import static io.gosync.testkit.Trees.assertNoTemporaryFiles;
import static io.gosync.testkit.Trees.assertSameTree;
import static io.gosync.testkit.Trees.mixed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A target that answers on the event bus but cannot be reached on its data port: the node that
 * should feed it reports it failed and adopts its children, so the rest of the chain completes.
 */
class UnreachableRelayTest {

  private final TestCluster cluster = TestCluster.shared();

  @Test
  void anUnreachableRelayIsReportedAndItsChildIsAdopted() throws IOException {
    String path = "/data/unreachable/tree";
    Path src = mixed(cluster.path("node0", path), 31, 1 << 20);
    int closedPort = TestCluster.freePort();
    FakeTarget ghost = FakeTarget.start(cluster, "ghost", "127.0.0.1", closedPort);
    try {
      JsonObject task = cluster.sync("node0", new JsonObject().put("src", path).put("dst", path).put("fanout", 1)
          .put("targets", new JsonArray(List.of("node1", "ghost", "node2"))));

      JsonObject lost = result(task, "ghost");
      assertEquals("failed", lost.getString("status"), task.encodePrettily());
      assertTrue(lost.getString("message").contains("unreachable from node1"), lost.encode());
      assertEquals("ok", result(task, "node1").getString("status"), task.encodePrettily());
      JsonObject adopted = result(task, "node2");
      assertEquals("ok", adopted.getString("status"), task.encodePrettily());
      assertEquals("node1", adopted.getString("via"), "node1 adopted the ghost's child");
      for (String target : List.of("node1", "node2")) {
        assertSameTree(src, cluster.path(target, path));
        assertNoTemporaryFiles(cluster.path(target, path));
      }
    } finally {
      ghost.close();
    }
  }
}
