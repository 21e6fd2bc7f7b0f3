package io.gosync.cluster;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.gosync.config.NodeConfig;
import io.gosync.protocol.Constants;
import io.gosync.protocol.NodeInfo;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.gosync.protocol.Constants.nodeAddress;

/**
 * Keeps this node's entry in the cluster-wide node map, removes the entries of members that
 * leave or die, tells the other verticles of this node which node left, and answers "which
 * nodes are there". See verticles-docs/node-registry.md.
 */
public final class NodeRegistryVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(NodeRegistryVerticle.class);

  private final NodeConfig config;
  private final HazelcastClusterManager cluster;
  private String clusterNodeId;
  private AsyncMap<String, JsonObject> nodes;
  private NodeInfo self;
  private long guard = -1;

  public NodeRegistryVerticle(NodeConfig config, HazelcastClusterManager cluster) {
    this.config = config;
    this.cluster = cluster;
  }

  @Override
  public Future<?> start() {
    clusterNodeId = cluster.getNodeId();
    cluster.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        vertx.eventBus().send(nodeAddress(config.name(), Constants.MEMBER_LEFT), new MemberLeft(
            event.getMember().getUuid().toString(), event.getMember().getAttribute(HazelcastSetup.NAME_ATTRIBUTE)));
      }
    });
    self = new NodeInfo(config.name(), config.host(), config.dataPort(), config.httpPort(),
        Constants.VERSION, clusterNodeId);
    var bus = vertx.eventBus();
    return vertx.sharedData().<String, JsonObject>getClusterWideMap(Constants.NODES_MAP)
        .compose(map -> {
          nodes = map;
          return map.values();
        })
        .compose(existing -> {
          for (NodeInfo other : readable(existing)) {
            // An entry left by a crashed member that Hazelcast has already dropped does not count.
            if (config.name().equals(other.name()) && liveMembers().contains(other.clusterNodeId())) {
              return Future.failedFuture(new IllegalStateException(
                  "a node named '" + config.name() + "' is already in the cluster; give this one another --name"));
            }
          }
          return nodes.put(clusterNodeId, self.toJson());
        })
        .compose(v -> Future.all(
            bus.<Void>localConsumer(nodeAddress(config.name(), Constants.NODES), this::onList).completion(),
            bus.<Void>localConsumer(nodeAddress(config.name(), Constants.HEALTH), this::onHealth).completion(),
            bus.<MemberLeft>localConsumer(nodeAddress(config.name(), Constants.MEMBER_LEFT), this::onMemberLeft).completion()))
        .onSuccess(v -> guard = vertx.setPeriodic(config.heartbeatMs(), id -> guardOwnEntry()));
  }

  /**
   * Anyone on Hazelcast may rewrite or remove this node's entry; nothing trusts its address any more, but a
   * missing or forged entry hides the node from targets named by host and from the node list. So every
   * heartbeat the entry is read back and, if it is not ours, written back. A timer rather than a Hazelcast
   * entry listener: it uses the same map API as everything else here, sees a removal and a rewrite alike
   * (and one made while a listener would have been down), and costs one small read per heartbeat.
   */
  private void guardOwnEntry() {
    JsonObject ours = self.toJson();
    nodes.get(clusterNodeId).onSuccess(entry -> {
      if (guard < 0 || ours.equals(entry)) {
        return;
      }
      if (entry == null) {
        LOG.warn("node map: the entry of {} (key {}) was removed; writing it back", config.name(), clusterNodeId);
      } else {
        LOG.warn("node map: the entry of {} (key {}) was changed to {}; writing back {}", config.name(),
            clusterNodeId, entry.encode(), ours.encode());
      }
      nodes.put(clusterNodeId, ours);
    });
  }

  /** The cluster node ids Hazelcast currently counts as members. */
  private Set<String> liveMembers() {
    return cluster.getHazelcastInstance().getCluster().getMembers().stream()
        .map(member -> member.getUuid().toString()).collect(Collectors.toSet());
  }

  /**
   * The entries of the node map that are nodes. Hazelcast carries no trust, so anything may be
   * in the map: an entry that is not a node is left out (and named in the log), not fatal.
   */
  private static List<NodeInfo> readable(Collection<JsonObject> entries) {
    List<NodeInfo> nodes = new ArrayList<>();
    for (JsonObject entry : entries) {
      try {
        nodes.add(NodeInfo.fromJson(entry));
      } catch (IllegalArgumentException e) {
        LOG.warn("node map: leaving out an entry that is not a node ({}): {}", e.getMessage(), entry);
      }
    }
    return nodes;
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(guard);
    guard = -1;
    return nodes == null ? Future.succeededFuture() : nodes.remove(clusterNodeId);
  }

  private void onList(Message<Void> message) {
    nodes.values()
        .map(values -> new JsonArray(readable(values).stream()
            .sorted(Comparator.comparing(NodeInfo::name))
            .map(node -> (Object) node.toJson()).toList()))
        .onSuccess(message::reply)
        .onFailure(err -> message.fail(503, "cannot read the node list: " + err.getMessage()));
  }

  /**
   * Replies (null) when this node is in the cluster, and fails with 503 and the reason when it is not: its
   * Hazelcast member stopped or was dropped (a node that ran out of heap lost it while /health still said UP,
   * issue 10), or its entry is gone from the node map and the guard has not written it back yet.
   */
  private void onHealth(Message<Void> message) {
    String away = awayFromCluster();
    if (away != null) {
      message.fail(503, "not in the cluster: " + away);
      return;
    }
    nodes.get(clusterNodeId)
        .onSuccess(entry -> {
          if (entry == null) {
            message.fail(503, "not in the cluster: its entry is missing from the node map " + Constants.NODES_MAP);
          } else {
            message.reply(null);
          }
        })
        .onFailure(err -> message.fail(503, "not in the cluster: cannot read the node map: " + err.getMessage()));
  }

  /** Why this node's Hazelcast member is not in the cluster, or null when it is. */
  private String awayFromCluster() {
    HazelcastInstance hazelcast = cluster.getHazelcastInstance();
    if (hazelcast == null || !hazelcast.getLifecycleService().isRunning()) {
      return "its Hazelcast member is not running";
    }
    Cluster members = hazelcast.getCluster();
    if (!members.getMembers().contains(members.getLocalMember())) {
      return "its Hazelcast member is not among the cluster's members";
    }
    return null;
  }

  /** A member Hazelcast removed, told by its listener thread to this verticle; node-local. */
  private record MemberLeft(String clusterNodeId, String name) {
  }

  /**
   * Every survivor removes the entry (only the first removal does anything) and tells its own
   * verticles, unless a live node still holds that name: then the member that left was one
   * refused for a duplicate name, and the real node must not be taken for gone.
   */
  private void onMemberLeft(Message<MemberLeft> message) {
    String id = message.body().clusterNodeId();
    String name = message.body().name();
    nodes.remove(id).compose(v -> nodes.values()).onSuccess(values -> {
      boolean stillHere = readable(values).stream().anyMatch(other -> other.name().equals(name)
          && !id.equals(other.clusterNodeId()) && liveMembers().contains(other.clusterNodeId()));
      if (name != null && !stillHere) {
        vertx.eventBus().publish(nodeAddress(config.name(), Constants.NODE_LEFT), name);
      }
    });
  }
}
