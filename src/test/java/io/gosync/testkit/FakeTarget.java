package io.gosync.testkit;

import io.gosync.protocol.Constants;
import io.gosync.protocol.NeedList;
import io.gosync.scan.Entry;
import io.gosync.scan.Manifest;
import io.gosync.scan.ManifestCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.BitSet;
import java.util.Map;

import static io.gosync.testkit.TestCluster.await;

/**
 * A target that exists on the event bus only: a Hazelcast member of its own with a certificate of the cluster
 * in its name, and no gosync verticle. It is in the node map under its name (keyed by its member id, as the
 * registry lists only live members' entries), fetches the manifest like a real target, needs every
 * file, acknowledges its parents, and says its data port is at {@code dataHost:dataPort}, where nothing of
 * gosync listens. A test points that address at whatever it wants the relay to meet there.
 */
public final class FakeTarget implements AutoCloseable {

  private final String name;
  private final Vertx vertx;

  private FakeTarget(String name, Vertx vertx) {
    this.name = name;
    this.vertx = vertx;
  }

  public static FakeTarget start(TestCluster cluster, String name, String dataHost, int dataPort) {
    Vertx vertx = await(cluster.joinHazelcast(TestCluster.tls(cluster.identity(name)), Map.of()), 120);
    EventBus bus = vertx.eventBus();
    String key = ((HazelcastClusterManager) ((VertxInternal) vertx).clusterManager()).getHazelcastInstance()
        .getCluster().getLocalMember().getUuid().toString();
    AsyncMap<String, JsonObject> nodes = await(vertx.sharedData().getClusterWideMap(Constants.NODES_MAP), 10);
    await(nodes.put(key, new JsonObject().put("name", name).put("host", dataHost).put("dataPort", dataPort)
        .put("httpPort", TestCluster.freePort()).put("version", Constants.VERSION).put("clusterNodeId", key)), 10);
    MessageConsumer<JsonObject> prepare = bus.consumer(Constants.nodeAddress(name, Constants.PREPARE),
        message -> answerLikeAnEmptyTarget(bus, message, dataHost, dataPort));
    // It takes its place in the tree like a real target, so that only what listens at its data address differs.
    MessageConsumer<JsonObject> parents = bus.consumer(Constants.nodeAddress(name, Constants.PARENTS),
        message -> message.reply(null));
    await(prepare.completion(), 10);
    await(parents.completion(), 10);
    return new FakeTarget(name, vertx);
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

  /** Leaves the cluster: its consumers go with its member, and its entry with it (the registries remove it). */
  @Override
  public void close() {
    await(vertx.close(), 60);
  }
}
