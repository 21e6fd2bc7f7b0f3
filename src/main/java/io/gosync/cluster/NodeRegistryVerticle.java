package io.gosync.cluster;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.gosync.config.NodeConfig;
import io.gosync.protocol.Constants;
import io.gosync.protocol.NodeInfo;
import io.gosync.trust.NodeIdentity;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Set;

import static io.gosync.protocol.Constants.nodeAddress;

/**
 * Keeps this node's entry in the cluster-wide node map, removes the entries of members that
 * leave or die, tells the other verticles of this node which node left, and answers "which
 * nodes are there". See verticles-docs/node-registry.md.
 *
 * <p>Entries are keyed by the Hazelcast member id, the id membership events carry. (Vert.x 5's own
 * {@code getNodeId()} is another UUID, so an entry keyed by it was never found when its member died.)
 */
public final class NodeRegistryVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(NodeRegistryVerticle.class);

  private final NodeConfig config;
  private final HazelcastClusterManager cluster;
  private final NodeIdentity identity;
  private final Promise<String> superseded;
  private AsyncMap<String, JsonObject> nodes;
  private NameProof proof;
  private long guard = -1;

  /** @param superseded completed with the reason when a newer node of this name, proven by its certificate, took over */
  public NodeRegistryVerticle(NodeConfig config, HazelcastClusterManager cluster, NodeIdentity identity,
      Promise<String> superseded) {
    this.config = config;
    this.cluster = cluster;
    this.identity = identity;
    this.superseded = superseded;
  }

  @Override
  public Future<?> start() {
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
    proof = new NameProof(vertx, config, identity);
    var bus = vertx.eventBus();
    // No refusal of a name already in the map: a node's name is its certificate's (GosyncNode checks that),
    // so a second entry of this name is this node's own from before a restart, and the newer start wins.
    return vertx.sharedData().<String, JsonObject>getClusterWideMap(Constants.NODES_MAP)
        .compose(map -> {
          nodes = map;
          return map.put(self().clusterNodeId(), self().toJson());
        })
        .compose(v -> Future.all(
            bus.<Void>localConsumer(nodeAddress(config.name(), Constants.NODES), this::onList).completion(),
            bus.<Void>localConsumer(nodeAddress(config.name(), Constants.HEALTH), this::onHealth).completion(),
            bus.<MemberLeft>localConsumer(nodeAddress(config.name(), Constants.MEMBER_LEFT), this::onMemberLeft).completion()))
        .onSuccess(v -> guard = vertx.setPeriodic(config.heartbeatMs(), id -> guardOwnEntry()));
  }

  /** This node's entry, under its current member id (Hazelcast gives a member it readmits a new one). */
  private NodeInfo self() {
    return new NodeInfo(config.name(), config.host(), config.dataPort(), config.httpPort(), Constants.VERSION,
        localMember().getUuid().toString());
  }

  private Member localMember() {
    return cluster.getHazelcastInstance().getCluster().getLocalMember();
  }

  /** Hazelcast's members, oldest first. */
  private Set<Member> members() {
    return cluster.getHazelcastInstance().getCluster().getMembers();
  }

  /** The map for the membership as it is once the map was read, so that a member that wrote an entry is in it. */
  private Future<NodeList> current() {
    return nodes.entries().map(entries -> NodeList.of(entries, members()));
  }

  /**
   * Every heartbeat: the oldest member clears what departed members left; and this node withdraws if a newer
   * node of its name has proven itself, else keeps its own entry as it put it.
   */
  private void guardOwnEntry() {
    NodeInfo ours = self();
    if (members().iterator().next().localMember()) {
      sweepDeparted();
    }
    newerProvenNamesake(ours).onSuccess(newer -> {
      if (guard < 0) {
        return;
      }
      if (newer == null) {
        nodes.get(ours.clusterNodeId()).onSuccess(entry -> keepOwnEntry(ours, entry));
      } else {
        withdraw(ours, newer);
      }
    });
  }

  /**
   * Anyone on Hazelcast may rewrite or remove this node's entry; nothing trusts its address any more, but a
   * missing or forged entry hides the node from targets named by host and from the node list. So every
   * heartbeat the entry is read back and, if it is not ours, written back. A timer rather than a Hazelcast
   * entry listener: it uses the same map API as everything else here, sees a removal and a rewrite alike
   * (and one made while a listener would have been down), and costs one small read per heartbeat.
   */
  private void keepOwnEntry(NodeInfo ours, JsonObject entry) {
    if (guard < 0 || ours.toJson().equals(entry)) {
      return;
    }
    if (entry == null) {
      LOG.warn("node map: the entry of {} (key {}) was removed; writing it back", config.name(), ours.clusterNodeId());
    } else {
      LOG.warn("node map: the entry of {} (key {}) was changed to {}; writing back {}", config.name(),
          ours.clusterNodeId(), entry.encode(), ours.toJson().encode());
    }
    nodes.put(ours.clusterNodeId(), ours.toJson());
  }

  /**
   * Entries whose member is gone: one whose removal at memberRemoved was lost, or one a split-brain merge
   * brought back. Only the oldest member sweeps (one read of the map per heartbeat in the cluster, not one per
   * node), and it is the first to list a member that joins, so it never takes a new member's entry for a gone one.
   */
  private void sweepDeparted() {
    nodes.entries().onSuccess(entries -> NodeList.departed(entries, members()).forEach(key -> {
      LOG.info("node map: removing the entry of a member that is gone (key {}): {}", key, entries.get(key));
      nodes.remove(key);
    }));
  }

  /**
   * A live member started after this one, carrying this node's name, whose entry names another data address that
   * answers with this node's certificate: this node restarted elsewhere while this process was thought dead.
   * Null if there is none. Hazelcast's attributes are read first, so the map is read only when one claims the name.
   */
  private Future<NodeInfo> newerProvenNamesake(NodeInfo ours) {
    long mine = NodeList.started(localMember());
    boolean claimed = members().stream().anyMatch(member -> NodeList.started(member) > mine
        && config.name().equals(member.getAttribute(HazelcastSetup.NAME_ATTRIBUTE)));
    if (!claimed) {
      return Future.succeededFuture(null);
    }
    return current().compose(list -> NodeList.firstProven(list.newerThan(config.name(), mine).stream()
        .filter(other -> !(other.host().equals(ours.host()) && other.dataPort() == ours.dataPort())).toList(), proof));
  }

  /** The newer node of this name takes over: this one leaves the map for good and says why. */
  private void withdraw(NodeInfo ours, NodeInfo newer) {
    vertx.cancelTimer(guard);
    guard = -1;
    String why = "a newer " + config.name() + " (started " + Instant.ofEpochMilli(startedOf(newer)) + ", data "
        + newer.host() + ":" + newer.dataPort() + ") proved its name by its certificate; this one, started "
        + Instant.ofEpochMilli(NodeList.started(localMember())) + ", withdraws from the cluster";
    LOG.error("node map: {}", why);
    nodes.remove(ours.clusterNodeId()).onComplete(removed -> superseded.tryComplete(why));
  }

  private long startedOf(NodeInfo node) {
    return members().stream().filter(member -> member.getUuid().toString().equals(node.clusterNodeId()))
        .mapToLong(NodeList::started).findFirst().orElse(0);
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(guard);
    guard = -1;
    Future<Void> closed = proof == null ? Future.succeededFuture() : proof.close();
    return nodes == null ? closed : Future.join(closed, nodes.remove(self().clusterNodeId()));
  }

  private void onList(Message<Void> message) {
    current().compose(list -> list.believed(proof))
        .map(chosen -> new JsonArray(chosen.stream().map(node -> (Object) node.toJson()).toList()))
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
    nodes.get(self().clusterNodeId())
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
   * Every survivor removes the entry (only the first removal does anything) and tells its own verticles,
   * unless a live member still claims that name: then the member that left was this node's older self,
   * and the node, restarted, must not be taken for gone.
   */
  private void onMemberLeft(Message<MemberLeft> message) {
    String name = message.body().name();
    nodes.remove(message.body().clusterNodeId()).compose(v -> current()).onSuccess(list -> {
      if (name != null && !list.claimed(name)) {
        vertx.eventBus().publish(nodeAddress(config.name(), Constants.NODE_LEFT), name);
      }
    });
  }
}
