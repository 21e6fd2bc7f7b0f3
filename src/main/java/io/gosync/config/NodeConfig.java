package io.gosync.config;

import io.gosync.protocol.TaskRequest;
import io.gosync.trust.NodeIdentity;
import io.gosync.trust.NodeName;
import io.netty.util.NetUtil;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A daemon's settings, after defaults, the --config file, GOSYNC_* variables and flags were
 * merged (see {@link ConfigLoader}). Every key is documented in README.md, "Configuration".
 * The name may still be empty here: a node's name is its certificate's, see {@link #named}.
 */
public record NodeConfig(
    String name,
    String certs,
    String host,
    int dataPort,
    int httpPort,
    String httpBind,
    int clusterPort,
    List<String> clusterMembers,
    String clusterName,
    int clusterHeartbeatTimeoutSeconds,
    String root,
    List<String> allow,
    int fanout,
    int maxParallelGroups,
    long heartbeatMs,
    long targetTimeoutMs,
    int connectTimeoutMs,
    long stallTimeoutMs,
    long prepareTimeoutMs,
    long progressIntervalMs,
    int manifestChunkBytes,
    int compressionLevel,
    int hashCacheEntries,
    int taskHistory,
    boolean durable,
    boolean verifySha256,
    String stateDir,
    int replayWindowMib,
    long stragglerAfterMs,
    int stragglerHeldPercent,
    int stragglerRatePercent) {

  /** A sixteenth of a 4 GiB heap; the shipped 256 MiB daemon keeps the default 32. */
  public static final int MAX_REPLAY_WINDOW_MIB = 256;

  public static NodeConfig fromJson(JsonObject json) {
    String host = text(json, "host");
    if (host.isEmpty()) {
      host = defaultHost();
    }
    checkAdvertisable(host);
    String name = text(json, "name");
    if (!name.isEmpty() && !NodeName.isValid(name)) {
      throw new IllegalArgumentException("config key 'name': '" + name
          + "' must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    if (text(json, "httpBind").isEmpty()) {
      throw new IllegalArgumentException("config key 'httpBind': must be an address to listen on, e.g. 127.0.0.1");
    }
    String root = text(json, "root");
    if (!root.startsWith("/")) {
      throw new IllegalArgumentException("config key 'root': must be an absolute path, got '" + root + "'");
    }
    String stateDir = stateDir(json);
    List<String> allow = strings(json, "allow");
    for (String dir : allow) {
      if (!dir.startsWith("/")) {
        throw new IllegalArgumentException("config key 'allow': '" + dir + "' must be an absolute path");
      }
    }
    return new NodeConfig(name, text(json, "certs"), host,
        port(json, "dataPort"), port(json, "httpPort"), text(json, "httpBind"), port(json, "clusterPort"),
        strings(json, "clusterMembers"), text(json, "clusterName"),
        positive(json, "clusterHeartbeatTimeoutSeconds"),
        root, allow,
        range(json, "fanout", 1, TaskRequest.MAX_FANOUT), positive(json, "maxParallelGroups"),
        positive(json, "heartbeatMs"), positive(json, "targetTimeoutMs"),
        positive(json, "connectTimeoutMs"), positive(json, "stallTimeoutMs"),
        positive(json, "prepareTimeoutMs"), positive(json, "progressIntervalMs"),
        positive(json, "manifestChunkBytes"), range(json, "compressionLevel", 1, 19),
        positive(json, "hashCacheEntries"), positive(json, "taskHistory"), flag(json, "durable"),
        flag(json, "verifySha256"), stateDir, range(json, "replayWindowMib", 1, MAX_REPLAY_WINDOW_MIB),
        range(json, "stragglerAfterMs", 0, Integer.MAX_VALUE), range(json, "stragglerHeldPercent", 50, 100),
        range(json, "stragglerRatePercent", 1, 100));
  }

  /**
   * The node's certs directory (what {@code gosync certs issue} made for it). A node runs only with its
   * identity: there is no plain mode, so a missing one is an error that says how to make one.
   */
  public Path certsDir() {
    if (certs.isEmpty()) {
      throw new IllegalArgumentException("config key 'certs': no certs directory given, and a node runs only with"
          + " its certificate. Make the cluster's CA once (gosync certs init CA_DIR), issue this node's"
          + " (gosync certs issue CA_DIR NAME --host ADDR), copy CA_DIR/NAME to this host and start with --certs DIR");
    }
    return Path.of(certs);
  }

  /**
   * This configuration under the name identity's certificate proves: names are identities, so an unset name
   * becomes the certificate's, and a name set to anything else is an error.
   */
  public NodeConfig named(NodeIdentity identity) {
    if (name.equals(identity.name())) {
      return this;
    }
    if (!name.isEmpty()) {
      throw new IllegalArgumentException("config key 'name': '" + name + "' is not the name in "
          + identity.certFile() + " ('" + identity.name() + "'); a node's name is its certificate's:"
          + " leave name unset, or issue a certificate for '" + name + "'");
    }
    return new NodeConfig(identity.name(), certs, host, dataPort, httpPort, httpBind, clusterPort, clusterMembers,
        clusterName, clusterHeartbeatTimeoutSeconds, root, allow, fanout, maxParallelGroups, heartbeatMs,
        targetTimeoutMs, connectTimeoutMs, stallTimeoutMs, prepareTimeoutMs, progressIntervalMs, manifestChunkBytes,
        compressionLevel, hashCacheEntries, taskHistory, durable, verifySha256, stateDir, replayWindowMib,
        stragglerAfterMs, stragglerHeldPercent, stragglerRatePercent);
  }

  /**
   * Whether the HTTP API listens on loopback only (an IP literal of 127/8 or ::1, or {@code localhost}), where
   * only this host's processes reach it. Anything else, the wildcard and host names included, is beyond
   * loopback, and there the API speaks HTTPS.
   */
  public boolean httpOnLoopback() {
    if (httpBind.equals("localhost")) {
      return true;
    }
    InetAddress literal = NetUtil.createInetAddressFromIpAddressString(unbracketed(httpBind));
    return literal != null && literal.isLoopbackAddress();
  }

  /**
   * Other nodes connect to the address a node advertises, and Hazelcast binds to it alone: a wildcard
   * (0.0.0.0, ::) would be advertised as is and reach nobody. Host names are left to the resolver.
   */
  private static void checkAdvertisable(String host) {
    // Parses IP literals only, without a DNS lookup: null for a host name.
    InetAddress literal = NetUtil.createInetAddressFromIpAddressString(unbracketed(host));
    if (literal != null && literal.isAnyLocalAddress()) {
      throw new IllegalArgumentException("config key 'host': '" + host + "' is the wildcard address, which reaches"
          + " nobody; a node binds to and advertises one real address that the other hosts reach it at,"
          + " e.g. --host 192.0.2.11");
    }
  }

  /** Where the node keeps what outlives it (the hash cache); empty keeps it in memory only. */
  private static String stateDir(JsonObject json) {
    String dir = text(json, "stateDir");
    if (!dir.isEmpty() && !dir.startsWith("/")) {
      throw new IllegalArgumentException("config key 'stateDir': must be an absolute path (or empty, to keep the"
          + " hash cache in memory only), got '" + dir + "'");
    }
    return dir;
  }

  private static String unbracketed(String address) {
    return address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
  }

  private static String text(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (!(value instanceof String s)) {
      throw new IllegalArgumentException("config key '" + key + "': expected a string, got " + value);
    }
    return s.trim();
  }

  private static List<String> strings(JsonObject json, String key) {
    Object value = json.getValue(key);
    List<String> out = new ArrayList<>();
    if (value instanceof JsonArray array) {
      for (Object item : array) {
        if (!(item instanceof String s)) {
          throw new IllegalArgumentException("config key '" + key + "': expected strings, got " + item);
        }
        if (!s.isBlank()) {
          out.add(s.trim());
        }
      }
    } else if (value instanceof String s) {
      for (String part : s.split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    } else {
      throw new IllegalArgumentException("config key '" + key + "': expected a list, got " + value);
    }
    return Collections.unmodifiableList(out);
  }

  /** true or false, also as the text a GOSYNC_* variable gives. */
  private static boolean flag(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s && (s.trim().equals("true") || s.trim().equals("false"))) {
      return Boolean.parseBoolean(s.trim());
    }
    throw new IllegalArgumentException("config key '" + key + "': expected true or false, got " + value);
  }

  private static long number(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    if (value instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new IllegalArgumentException("config key '" + key + "': expected a whole number, got " + value);
  }

  private static int range(JsonObject json, String key, int min, int max) {
    long value = number(json, key);
    if (value < min || value > max) {
      throw new IllegalArgumentException("config key '" + key + "': " + value + " is outside " + min + ".." + max);
    }
    return (int) value;
  }

  private static int port(JsonObject json, String key) {
    return range(json, key, 1, 65535);
  }

  private static int positive(JsonObject json, String key) {
    return range(json, key, 1, Integer.MAX_VALUE);
  }

  /** The first site-local IPv4 address, so that other hosts can reach us; loopback otherwise. */
  private static String defaultHost() {
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address.isSiteLocalAddress() && address.getAddress().length == 4) {
            return address.getHostAddress();
          }
        }
      }
    } catch (SocketException e) {
      // fall through to loopback
    }
    return "127.0.0.1";
  }
}
