package io.gosync.control;

import io.gosync.protocol.Constants;
import io.gosync.protocol.NeedList;
import io.gosync.scan.Entry;
import io.gosync.scan.Manifest;
import io.gosync.scan.ManifestCodec;
import io.gosync.testkit.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;

import static io.gosync.testkit.TestCluster.await;
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
    EventBus bus = cluster.node("node0").vertx().eventBus();
    int closedPort = TestCluster.freePort();
    JsonObject ghost = new JsonObject().put("name", "ghost").put("host", "127.0.0.1").put("dataPort", closedPort)
        .put("httpPort", TestCluster.freePort()).put("version", Constants.VERSION).put("clusterNodeId", "ghost-id");
    var nodes = await(cluster.node("node0").vertx().sharedData().<String, JsonObject>getClusterWideMap(Constants.NODES_MAP), 10);
    await(nodes.put("ghost-id", ghost), 10);
    MessageConsumer<JsonObject> prepare = bus.consumer(Constants.nodeAddress("ghost", Constants.PREPARE),
        message -> answerLikeAnEmptyTarget(bus, message));
    await(prepare.completion(), 10);
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
      await(prepare.unregister(), 10);
      await(nodes.remove("ghost-id"), 10);
    }
  }

  /** Fetches the manifest like a real target and asks for every file, as an empty destination would. */
  private static void answerLikeAnEmptyTarget(EventBus bus, Message<JsonObject> message) {
    String taskId = message.body().getString("taskId");
    int chunks = message.body().getJsonObject("manifest").getInteger("chunks");
    Future<Buffer> all = Future.succeededFuture(Buffer.buffer());
    for (int i = 0; i < chunks; i++) {
      int chunk = i;
      all = all.compose(sofar -> bus.<Buffer>request(Constants.taskAddress(taskId, Constants.MANIFEST),
          new JsonObject().put("chunk", chunk)).map(reply -> sofar.appendBuffer(reply.body())));
    }
    all.onSuccess(bytes -> {
      Manifest manifest = ManifestCodec.decode(bytes.getBytes());
      BitSet need = new BitSet();
      long needBytes = 0;
      for (int i = 0; i < manifest.size(); i++) {
        Entry entry = manifest.entry(i);
        if (entry.isFile()) {
          need.set(i);
          needBytes += entry.size();
        }
      }
      message.reply(new JsonObject()
          .put("need", NeedList.of(need).toBase64())
          .put("needFiles", (long) need.cardinality()).put("needBytes", needBytes)
          .put("created", 0L).put("deleted", 0L).put("fixed", 0L).put("conflicts", 0L)
          .put("conflictPaths", new JsonArray()));
    }).onFailure(err -> message.fail(500, err.getMessage()));
  }
}
