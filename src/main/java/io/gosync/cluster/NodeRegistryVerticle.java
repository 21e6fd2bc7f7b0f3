package io.gosync.cluster;

import io.gosync.Constants;
import io.gosync.config.NodeConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;

import java.util.Set;
import java.util.function.Supplier;

import static io.gosync.Constants.nodeAddress;

/**
 * Keeps this node's entry in the cluster-wide node map, removes the entries of members that
 * leave or die, tells the other verticles of this node which node left, and answers "which
 * nodes are there". See verticles-docs/node-registry.md.
 */
public final class NodeRegistryVerticle extends VerticleBase {

  /** Node-local: the bootstrap sends {clusterNodeId, name} of each member Hazelcast removed. */
  static final String MEMBER_LEFT = "local.member-left";

  private final NodeConfig config;
  private final String clusterNodeId;
  private final Supplier<Set<String>> liveMembers;
  private AsyncMap<String, JsonObject> nodes;

  /** @param liveMembers the cluster node ids Hazelcast currently counts as members */
  public NodeRegistryVerticle(NodeConfig config, String clusterNodeId, Supplier<Set<String>> liveMembers) {
    this.config = config;
    this.clusterNodeId = clusterNodeId;
    this.liveMembers = liveMembers;
  }

  @Override
  public Future<?> start() {
    NodeInfo self = new NodeInfo(config.name(), config.host(), config.dataPort(), config.httpPort(),
        Constants.VERSION, clusterNodeId);
    var bus = vertx.eventBus();
    return vertx.sharedData().<String, JsonObject>getClusterWideMap(Constants.NODES_MAP)
        .compose(map -> {
          nodes = map;
          return map.values();
        })
        .compose(existing -> {
          for (JsonObject other : existing) {
            // An entry left by a crashed member that Hazelcast has already dropped does not count.
            if (config.name().equals(other.getString("name"))
                && liveMembers.get().contains(other.getString("clusterNodeId"))) {
              return Future.failedFuture(new IllegalStateException(
                  "a node named '" + config.name() + "' is already in the cluster; give this one another --name"));
            }
          }
          return nodes.put(clusterNodeId, self.toJson());
        })
        .compose(v -> Future.all(
            bus.<Void>localConsumer(nodeAddress(config.name(), Constants.NODES), this::onList).completion(),
            bus.<JsonObject>localConsumer(nodeAddress(config.name(), MEMBER_LEFT), this::onMemberLeft).completion()));
  }

  @Override
  public Future<?> stop() {
    return nodes == null ? Future.succeededFuture() : nodes.remove(clusterNodeId);
  }

  private void onList(Message<Void> message) {
    nodes.values()
        .onSuccess(values -> message.reply(new JsonArray(values.stream()
            .sorted((a, b) -> a.getString("name").compareTo(b.getString("name")))
            .map(Object.class::cast).toList())))
        .onFailure(err -> message.fail(503, "cannot read the node list: " + err.getMessage()));
  }

  /**
   * Every survivor removes the entry (only the first removal does anything) and tells its own
   * verticles, unless a live node still holds that name: then the member that left was one
   * refused for a duplicate name, and the real node must not be taken for gone.
   */
  private void onMemberLeft(Message<JsonObject> message) {
    String id = message.body().getString("clusterNodeId");
    String name = message.body().getString("name");
    nodes.remove(id).compose(v -> nodes.values()).onSuccess(values -> {
      boolean stillHere = values.stream().anyMatch(other -> name != null && name.equals(other.getString("name"))
          && !id.equals(other.getString("clusterNodeId")) && liveMembers.get().contains(other.getString("clusterNodeId")));
      if (name != null && !stillHere) {
        vertx.eventBus().publish(nodeAddress(config.name(), Constants.NODE_LEFT), name);
      }
    });
  }
}
