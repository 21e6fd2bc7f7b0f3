package io.gosync.relay;

import io.gosync.testkit.CertifiedListener;
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
 * Where the plan says a child listens, a node of the cluster with another name answers (a certified
 * impostor): the sender sees the name in its certificate, writes it nothing, reports the child failed and
 * adopts the child's children.
 */
class ImpostorChildTest {

  private final TestCluster cluster = TestCluster.shared();

  @Test
  void aCertifiedNodeWithAnotherNameWhereTheChildShouldBeIsNotFed() throws IOException {
    String path = "/data/impostor-child/tree";
    Path src = mixed(cluster.path("node0", path), 17, 1 << 20);
    try (CertifiedListener impostor = CertifiedListener.start(cluster.node("node0").vertx(), cluster.identity("impostor"));
         FakeTarget decoy = FakeTarget.start(cluster, "decoy", "127.0.0.1", impostor.port())) {

      JsonObject task = cluster.sync("node0", new JsonObject().put("src", path).put("dst", path).put("fanout", 1)
          .put("targets", new JsonArray(List.of(decoy.name(), "node2"))));

      JsonObject refused = result(task, "decoy");
      assertEquals("failed", refused.getString("status"), task.encodePrettily());
      assertTrue(refused.getString("message").contains("answered as impostor, not decoy"), refused.encode());
      assertEquals(0, impostor.bytes(), "the impostor was fed");
      JsonObject adopted = result(task, "node2");
      assertEquals("ok", adopted.getString("status"), task.encodePrettily());
      assertEquals("node0", adopted.getString("via"), "the source adopted the decoy's child");
      assertSameTree(src, cluster.path("node2", path));
      assertNoTemporaryFiles(cluster.path("node2", path));
    }
  }
}
