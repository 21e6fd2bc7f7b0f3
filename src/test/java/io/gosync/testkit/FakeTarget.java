package io.gosync.testkit;

import io.gosync.protocol.Constants;
import io.gosync.protocol.NeedList;
import io.gosync.scan.Entry;
import io.gosync.scan.Manifest;
import io.gosync.scan.ManifestCodec;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;

import java.util.BitSet;

import static io.gosync.testkit.TestCluster.await;

/**
 * A target that exists on the event bus only, run by a test on one node's Vert.x (so it is certified as the
 * cluster's): it is in the node map under its name, fetches the manifest like a real target, needs every
 * file, acknowledges its parents, and says its data port is at {@code dataHost:dataPort}, where nothing of
 * gosync listens. A test points that address at whatever it wants the relay to meet there.
 */
public final class FakeTarget implements AutoCloseable {

  private final String name;
  private final AsyncMap<String, JsonObject> nodes;
  private final MessageConsumer<JsonObject> prepare;
  private final MessageConsumer<JsonObject> parents;

  private FakeTarget(String name, AsyncMap<String, JsonObject> nodes, MessageConsumer<JsonObject> prepare,
                     MessageConsumer<JsonObject> parents) {
    this.name = name;
    this.nodes = nodes;
    this.prepare = prepare;
    this.parents = parents;
  }

  public static FakeTarget start(TestCluster cluster, String on, String name, String dataHost, int dataPort) {
    var vertx = cluster.node(on).vertx();
    EventBus bus = vertx.eventBus();
    AsyncMap<String, JsonObject> nodes = await(vertx.sharedData().getClusterWideMap(Constants.NODES_MAP), 10);
    await(nodes.put(name + "-id", new JsonObject().put("name", name).put("host", dataHost).put("dataPort", dataPort)
        .put("httpPort", TestCluster.freePort()).put("version", Constants.VERSION).put("clusterNodeId", name + "-id")),
        10);
    MessageConsumer<JsonObject> prepare = bus.consumer(Constants.nodeAddress(name, Constants.PREPARE),
        message -> answerLikeAnEmptyTarget(bus, message, dataHost, dataPort));
    // It takes its place in the tree like a real target, so that only what listens at its data address differs.
    MessageConsumer<JsonObject> parents = bus.consumer(Constants.nodeAddress(name, Constants.PARENTS),
        message -> message.reply(null));
    await(prepare.completion(), 10);
    await(parents.completion(), 10);
    return new FakeTarget(name, nodes, prepare, parents);
  }

  /** Fetches the manifest like a real target and asks for every file, as an empty destination would. */
  private static void answerLikeAnEmptyTarget(EventBus bus, Message<JsonObject> message, String dataHost,
                                              int dataPort) {
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
          .put("conflictPaths", new JsonArray()).put("dataHost", dataHost).put("dataPort", dataPort));
    }).onFailure(err -> message.fail(500, err.getMessage()));
  }

  public String name() {
    return name;
  }

  @Override
  public void close() {
    await(prepare.unregister(), 10);
    await(parents.unregister(), 10);
    await(nodes.remove(name + "-id"), 10);
  }
}
