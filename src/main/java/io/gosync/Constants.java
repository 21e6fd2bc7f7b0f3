package io.gosync;

/**
 * The one place for names that several parts of gosync must agree on: event bus addresses,
 * the relay protocol's magic, temporary file names. Tunable values (ports, timeouts) are not
 * here: they live in {@code config/gosync.json}.
 */
public final class Constants {

  public static final String VERSION = "0.1.0";

  /** Classpath location of the documented defaults (copied from the repository's config/). */
  public static final String DEFAULTS_RESOURCE = "config/gosync.json";
  /** Environment variables with this prefix override configuration keys (GOSYNC_DATA_PORT → dataPort). */
  public static final String ENV_PREFIX = "GOSYNC_";

  /** Cluster-wide map of live nodes, keyed by cluster node id. */
  public static final String NODES_MAP = "gosync.nodes";

  /** First bytes of every relay connection: protocol name and version. */
  public static final int RELAY_MAGIC = 0x47535931; // "GSY1"
  /** Largest relay stream header we accept, so a bad peer cannot make us buffer without bound. */
  public static final int MAX_HEADER_BYTES = 16 * 1024 * 1024;

  /**
   * Timeout of node-local requests that may legitimately take hours (scanning, preparing or
   * sending a huge tree); liveness is watched by heartbeats instead.
   */
  public static final long LONG_WAIT_MS = 30L * 24 * 3600 * 1000;

  /** Temporary files are named {@code .gosync-<task>-<index>.tmp} in their final directory. */
  public static final String TEMP_MARK = ".gosync-";
  public static final String TEMP_SUFFIX = ".tmp";

  // Event bus verbs under gosync.node.<name>. (cluster-wide API)
  public static final String SUBMIT = "tasks.submit";
  public static final String STATUS = "tasks.status";
  public static final String PREPARE = "prepare";
  public static final String FINISH = "finish";
  public static final String ABORT = "abort";
  // ... and node-local ones, used between the verticles of one node.
  public static final String NODES = "local.nodes";
  public static final String NODE_LEFT = "local.node-left";
  public static final String SCAN_SOURCE = "local.scan.source";
  public static final String SCAN_PREPARE = "local.scan.prepare";
  public static final String SCAN_FINISH = "local.scan.finish";
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
