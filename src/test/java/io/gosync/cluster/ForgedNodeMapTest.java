package io.gosync.cluster;

import io.gosync.protocol.Constants;
import io.gosync.protocol.NodeInfo;
import io.gosync.testkit.CertifiedListener;
import io.gosync.testkit.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static io.gosync.testkit.TestCluster.await;
import static io.gosync.testkit.TestCluster.result;
import static io.gosync.testkit.Trees.assertSameTree;
import static io.gosync.testkit.Trees.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hazelcast's node map is writable by anyone who joins Hazelcast, certificate or not: a forged entry must
 * neither redirect a node's data nor leave the node unreachable. The listener the forgeries point at even
 * holds a certificate of the cluster (under another name), so only the name check keeps it unfed.
 */
class ForgedNodeMapTest {

  private static final String VICTIM = "node3";

  private final TestCluster cluster = TestCluster.shared();

  @Test
  void aRewrittenEntryNeitherRedirectsDataNorHidesTheNodeAndIsWrittenBack() throws IOException {
    String path = "/data/forged-entry/tree";
    Path src = file(cluster.path("node0", path), "secret.txt", "for node3 only\n").getParent();
    AsyncMap<String, JsonObject> nodes = nodeMap();
    NodeInfo real = entryOf(nodes, VICTIM);
    try (CertifiedListener eavesdropper = eavesdropper()) {
      NodeInfo forged = new NodeInfo(VICTIM, "127.0.0.1", eavesdropper.port(), real.httpPort(), real.version(),
          real.clusterNodeId());
      await(nodes.put(real.clusterNodeId(), forged.toJson()), 10);

      JsonObject task = sync(path);

      assertEquals("ok", result(task, VICTIM).getString("status"), task.encodePrettily());
      assertSameTree(src, cluster.path(VICTIM, path));
      assertEquals(0, eavesdropper.connections(), "the data went where the forged entry pointed");
      assertWrittenBack(nodes, real, 10_000);
    }
  }

  @Test
  void aSecondEntryClaimingANodesNameNeitherRedirectsDataNorHidesTheNode() throws IOException {
    String path = "/data/forged-twin/tree";
    Path src = file(cluster.path("node0", path), "secret.txt", "for node3 only\n").getParent();
    AsyncMap<String, JsonObject> nodes = nodeMap();
    NodeInfo real = entryOf(nodes, VICTIM);
    try (CertifiedListener eavesdropper = eavesdropper()) {
      NodeInfo twin = new NodeInfo(VICTIM, "127.0.0.1", eavesdropper.port(), real.httpPort(), real.version(),
          "forged-twin-id");
      await(nodes.put(twin.clusterNodeId(), twin.toJson()), 10);
      try {
        JsonObject task = sync(path);

        assertEquals("ok", result(task, VICTIM).getString("status"), task.encodePrettily());
        assertSameTree(src, cluster.path(VICTIM, path));
        assertEquals(0, eavesdropper.connections(), "the data went where the forged twin pointed");
      } finally {
        await(nodes.remove(twin.clusterNodeId()), 10);
      }
    }
  }

  private JsonObject sync(String path) {
    return cluster.sync("node0", new JsonObject().put("src", path).put("dst", path)
        .put("targets", new JsonArray().add(VICTIM)));
  }

  private CertifiedListener eavesdropper() {
    return CertifiedListener.start(cluster.node("node0").vertx(), cluster.identity("eavesdropper"));
  }

  private AsyncMap<String, JsonObject> nodeMap() {
    return await(cluster.node("node0").vertx().sharedData().getClusterWideMap(Constants.NODES_MAP), 10);
  }

  private static NodeInfo entryOf(AsyncMap<String, JsonObject> nodes, String name) {
    for (JsonObject entry : await(nodes.values(), 10)) {
      NodeInfo node = NodeInfo.fromJson(entry);
      if (node.name().equals(name) && !node.clusterNodeId().startsWith("forged")) {
        return node;
      }
    }
    throw new AssertionError("no entry for " + name);
  }

  private static void assertWrittenBack(AsyncMap<String, JsonObject> nodes, NodeInfo real, long withinMs) {
    long deadline = System.currentTimeMillis() + withinMs;
    while (System.currentTimeMillis() < deadline) {
      JsonObject entry = await(nodes.get(real.clusterNodeId()), 10);
      if (real.toJson().equals(entry)) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
    fail("the registry did not write its entry back within " + withinMs + " ms");
  }
}
