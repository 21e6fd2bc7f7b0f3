package io.gosync.protocol;

/**
 * The names that several nodes, or several verticles of one node, must agree on: event bus
 * addresses and the cluster's shared map. Tunable values (ports, timeouts) are not here: they
 * live in {@code config/gosync.json}. Facts of one part live with that part (the data port's
 * magic in {@code relay.wire.StreamHeader}, temporary names in {@code scan.FileFacts}).
 */
public final class Constants {

  public static final String VERSION = "0.1.0";

  /** Cluster-wide map of live nodes, keyed by cluster node id. */
  public static final String NODES_MAP = "gosync.nodes";

  // Event bus verbs under gosync.node.<name>. (cluster-wide API)
  public static final String SUBMIT = "tasks.submit";
  public static final String STATUS = "tasks.status";
  public static final String PREPARE = "prepare";
  public static final String FINISH = "finish";
  public static final String ABORT = "abort";
  public static final String PARENTS = "parents";
  /** The source's block lists for a target's files held in another version (issue 13). */
  public static final String BLOCKS = "blocks";
  /** The source moves a straggler out of a relay's tree: sent to the relay that feeds it. */
  public static final String RELAY_MOVE = "relay.move";
  // ... and node-local ones, used between the verticles of one node.
  public static final String NODES = "local.nodes";
  /** The node registry answers whether this node is in the cluster, for the HTTP API's /health. */
  public static final String HEALTH = "local.health";
  public static final String NODE_LEFT = "local.node-left";
  /** The bootstrap sends {clusterNodeId, name} of each member Hazelcast removed, to the node registry. */
  public static final String MEMBER_LEFT = "local.member-left";
  public static final String SCAN_SOURCE = "local.scan.source";
  public static final String SCAN_PREPARE = "local.scan.prepare";
  public static final String SCAN_FINISH = "local.scan.finish";
  public static final String SCAN_BLOCKS = "local.scan.blocks";
  public static final String SCAN_BASES = "local.scan.bases";
  public static final String SCAN_LEARN = "local.scan.learn";
  public static final String RELAY_EXPECT = "local.relay.expect";
  public static final String RELAY_FORGET = "local.relay.forget";
  public static final String RELAY_SEND = "local.relay.send";
  public static final String RECEIVED = "local.received";

  // Event bus verbs under gosync.task.<id>.
  public static final String EVENTS = "events";
  public static final String CONTROL = "control";
  public static final String MANIFEST = "manifest";
  public static final String KEEPALIVE = "keepalive";

  private Constants() {
  }

  public static String nodeAddress(String node, String verb) {
    return "gosync.node." + node + "." + verb;
  }

  public static String taskAddress(String taskId, String verb) {
    return "gosync.task." + taskId + "." + verb;
  }
}
