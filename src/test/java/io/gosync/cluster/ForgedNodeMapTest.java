package io.gosync.cluster;

import io.gosync.protocol.Constants;
import io.gosync.protocol.NodeInfo;
import io.gosync.testkit.CertifiedListener;
import io.gosync.testkit.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.gosync.testkit.TestCluster.await;
import static io.gosync.testkit.TestCluster.result;
import static io.gosync.testkit.Trees.assertSameTree;
import static io.gosync.testkit.Trees.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

  /**
   * A Hazelcast member without certificate that claims node3's name in its member attributes, as started after
   * node3, with an entry under its own member id that points at a listener certified under another name: a
   * newer node3 as far as Hazelcast can tell, but not one a certificate proves. node3 must not withdraw, and
   * the node list must show node3 once, at its own data port.
   */
  @Test
  void aNewerMemberClaimingANodesNameWithoutItsCertificateNeitherTakesTheNameNorMakesTheNodeWithdraw() {
    AsyncMap<String, JsonObject> nodes = nodeMap();
    NodeInfo real = entryOf(nodes, VICTIM);
    Vertx impostor = await(cluster.joinHazelcast(new EventBusOptions(), Map.of(HazelcastSetup.NAME_ATTRIBUTE, VICTIM,
        HazelcastSetup.STARTED_ATTRIBUTE, String.valueOf(System.currentTimeMillis() + 3_600_000))), 120);
    try (CertifiedListener eavesdropper = eavesdropper()) {
      String key = ((HazelcastClusterManager) ((VertxInternal) impostor).clusterManager()).getHazelcastInstance()
          .getCluster().getLocalMember().getUuid().toString();
      NodeInfo newer = new NodeInfo(VICTIM, "127.0.0.1", eavesdropper.port(), real.httpPort(), real.version(), key);
      await(nodes.put(key, newer.toJson()), 10);

      pause(10 * cluster.config(VICTIM).heartbeatMs());

      assertFalse(cluster.node(VICTIM).superseded().isComplete(), "node3 withdrew for an unproven namesake");
      assertEquals(real.toJson(), await(nodes.get(real.clusterNodeId()), 10));
      JsonArray listed = await(cluster.node("node0").vertx().eventBus()
          .<JsonArray>request(Constants.nodeAddress("node0", Constants.NODES), null), 30).body();
      List<Object> named = listed.stream().filter(node -> VICTIM.equals(((JsonObject) node).getString("name"))).toList();
      assertEquals(List.of(real.toJson()), named, listed.encodePrettily());
    } finally {
      await(impostor.close(), 60);
    }
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted");
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
