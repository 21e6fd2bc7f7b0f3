package io.gosync.testkit;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.gosync.GosyncNode;
import io.gosync.cli.FreePorts;
import io.gosync.config.ConfigLoader;
import io.gosync.config.NodeConfig;
import io.gosync.protocol.Constants;
import io.gosync.trust.ApiToken;
import io.gosync.trust.ClusterAuthority;
import io.gosync.trust.NodeIdentity;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Real gosync nodes for tests: each a clustered Vert.x with its own Hazelcast member, ports
 * and root directory, all in this JVM on loopback. Timeouts are short so failure paths finish
 * quickly. Nodes are started the same way the daemon command starts them, each with its own
 * certificate from the cluster's CA, which lives in the cluster's directory too.
 */
public final class TestCluster implements AutoCloseable {

  /** Task paths the test nodes allow; anything else is outside their allowed roots. */
  public static final List<String> ALLOWED = List.of("/data", "/srv");

  private static TestCluster shared;

  private final Path base;
  private final String clusterName = "gosync-test-" + UUID.randomUUID();
  private final ClusterAuthority authority;
  private final List<String> members = new ArrayList<>();
  private final Map<String, GosyncNode> nodes = new LinkedHashMap<>();

  private TestCluster(Path base) {
    this.base = base;
    // One CA per cluster (and per start attempt), beside the nodes' roots.
    this.authority = ClusterAuthority.init(base.resolve("ca-" + clusterName));
  }

  /**
   * The cluster most tests share: node0 .. node7, started once per test JVM. Tests keep out of
   * each other's way by using their own destination paths.
   */
  public static synchronized TestCluster shared() {
    if (shared == null) {
      try {
        shared = start(Files.createTempDirectory("gosync-test-"), 8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      TestCluster cluster = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        cluster.close();
        cluster.deleteFiles();
      }));
    }
    return shared;
  }

  /**
   * Starts {@code size} nodes at once. A start that does not complete in time (seen when other
   * JVMs on the machine took a port we had just picked) is torn down and tried again on new ports.
   */
  public static TestCluster start(Path base, int size) {
    AssertionError last = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      TestCluster cluster = new TestCluster(base);
      List<Future<GosyncNode>> started = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        started.add(GosyncNode.start(NodeConfig.fromJson(cluster.settings("node" + i))));
      }
      try {
        await(Future.all(started), 60);
        started.forEach(node -> cluster.nodes.put(node.result().config().name(), node.result()));
        return cluster;
      } catch (AssertionError | RuntimeException e) {
        last = e instanceof AssertionError a ? a : new AssertionError(e);
        System.err.println("test cluster start, attempt " + attempt + ": " + e);
        for (int i = 0; i < started.size(); i++) {
          Future<GosyncNode> node = started.get(i);
          System.err.println("  node" + i + ": " + (!node.isComplete() ? "pending" : node.succeeded() ? "up" : node.cause()));
        }
        started.stream().filter(Future::succeeded).forEach(node -> node.result().close());
      }
    }
    throw last;
  }

  private JsonObject settings(String name) {
    int clusterPort = freePort();
    members.add("127.0.0.1:" + clusterPort);
    try {
      Files.createDirectories(root(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ConfigLoader.defaults().mergeIn(new JsonObject()
        .put("name", name).put("certs", issue(name).toString()).put("host", "127.0.0.1").put("clusterName", clusterName)
        .put("dataPort", freePort()).put("httpPort", freePort()).put("clusterPort", clusterPort)
        .put("clusterMembers", new JsonArray(new ArrayList<>(members)))
        .put("clusterHeartbeatTimeoutSeconds", 8)
        .put("root", root(name).toString()).put("allow", new JsonArray(ALLOWED))
        .put("stateDir", base.resolve("state").toString())
        .put("heartbeatMs", 500).put("targetTimeoutMs", 8000).put("connectTimeoutMs", 2000)
        .put("stallTimeoutMs", 8000).put("progressIntervalMs", 100)
        // Small manifest chunks, so that every cluster test pulls its manifest in several pieces.
        .put("manifestChunkBytes", 1024));
  }

  /**
   * Issues a certificate of this cluster's CA for name (anew if it was issued before) and returns its certs
   * directory: for a node, or for a test's own peer that must be believed as one of the cluster.
   */
  public Path issue(String name) {
    return authority.issue(name, List.of("127.0.0.1"), true);
  }

  /** The identity of a test's own peer, with a certificate of this cluster's CA. */
  public NodeIdentity identity(String name) {
    return NodeIdentity.load(issue(name));
  }

  /** Starts one more node that joins this cluster, e.g. one a test will stop or kill. */
  public GosyncNode addNode(String name) {
    return addNode(name, new JsonObject());
  }

  /** Starts one more node with some keys set otherwise than the cluster's nodes have them. */
  public GosyncNode addNode(String name, JsonObject overrides) {
    GosyncNode node = await(GosyncNode.start(NodeConfig.fromJson(settings(name).mergeIn(overrides))), 120);
    nodes.put(name, node);
    return node;
  }

  /** The cluster's HTTP API token, as every node's certs directory holds it. */
  public String token() {
    return ApiToken.read(authority.dir().resolve(ApiToken.FILE)).value();
  }

  /** Stops a node abruptly from the cluster's point of view: its sockets close and it leaves. */
  public void stop(String name) {
    GosyncNode node = nodes.remove(name);
    if (node != null) {
      await(node.close(), 60);
    }
  }

  public GosyncNode node(String name) {
    return nodes.get(name);
  }

  public NodeConfig config(String name) {
    return nodes.get(name).config();
  }

  public Path root(String name) {
    return base.resolve(name);
  }

  /** Where a task path lands on a node (task paths live inside the node's root). */
  public Path path(String name, String taskPath) {
    return root(name).resolve(taskPath.substring(1));
  }

  public List<String> members() {
    return List.copyOf(members);
  }

  public String clusterName() {
    return clusterName;
  }

  /** An event bus in mutual TLS with this identity, as a node's (Transport.eventBus) but for any member. */
  public static EventBusOptions tls(NodeIdentity identity) {
    EventBusOptions options = new EventBusOptions();
    options.setSsl(true).setClientAuth(ClientAuth.REQUIRED).setTrustAll(false)
        .setKeyCertOptions(identity.keyCertOptions()).setTrustOptions(identity.trustOptions());
    return options;
  }

  /**
   * A clustered Vert.x that joins these nodes' Hazelcast cluster as any member may (it needs only the cluster's
   * name), with this event bus and these member attributes: how tests play a hostile member.
   */
  public Future<Vertx> joinHazelcast(EventBusOptions bus, Map<String, String> attributes) {
    return joinHazelcast(clusterName, members(), bus, attributes);
  }

  /** The same for any Hazelcast cluster of gosync nodes on loopback (daemons as processes too), by its name and members. */
  public static Future<Vertx> joinHazelcast(String clusterName, List<String> members, EventBusOptions bus,
                                            Map<String, String> attributes) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(clusterName);
    attributes.forEach(config.getMemberAttributeConfig()::setAttribute);
    config.setProperty("hazelcast.local.localAddress", "127.0.0.1");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.getNetworkConfig().setPort(freePort()).setPortAutoIncrement(false);
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(members);
    bus.setHost("127.0.0.1").setPort(0).setClusterPublicHost("127.0.0.1");
    return Vertx.builder().with(new VertxOptions().setEventBusOptions(bus))
        .withClusterManager(new HazelcastClusterManager(config)).buildClustered();
  }

  /**
   * Submits a task to the source node over its event bus API and waits for its report.
   *
   * @return the finished task, as the "done" event carries it
   */
  public JsonObject sync(String source, JsonObject request) {
    return await(submit(source, request, event -> { }), 180);
  }

  /** Submits and passes every event of the task to {@code onEvent}; completes with the report. */
  public Future<JsonObject> submit(String source, JsonObject request, Consumer<JsonObject> onEvent) {
    GosyncNode node = nodes.get(source);
    String id = request.getString("id", UUID.randomUUID().toString());
    EventBus bus = node.vertx().eventBus();
    Promise<JsonObject> done = Promise.promise();
    MessageConsumer<JsonObject> events = bus.consumer(Constants.taskAddress(id, Constants.EVENTS), message -> {
      onEvent.accept(message.body());
      if ("done".equals(message.body().getString("type"))) {
        done.tryComplete(message.body());
      }
    });
    return events.completion()
        .compose(v -> bus.<JsonObject>request(Constants.nodeAddress(source, Constants.SUBMIT), request.copy().put("id", id)))
        .compose(accepted -> done.future())
        .eventually(events::unregister);
  }

  /** The result line of one target in a finished task. */
  public static JsonObject result(JsonObject task, String target) {
    for (Object item : task.getJsonArray("targets")) {
      JsonObject line = (JsonObject) item;
      if (target.equals(line.getString("target"))) {
        return line;
      }
    }
    throw new AssertionError("no result for " + target + " in " + task.encodePrettily());
  }

  /** Waits for a future, failing the test if it does not complete in time. */
  public static <T> T await(Future<T> future, int seconds) {
    try {
      return future.await(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + seconds + " s", e);
    }
  }

  public static int freePort() {
    return FreePorts.next();
  }

  /** Removes the nodes' roots. */
  public void deleteFiles() {
    try (Stream<Path> all = Files.walk(base)) {
      for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      System.err.println("could not remove " + base + ": " + e);
    }
  }

  @Override
  public void close() {
    await(Future.join(nodes.values().stream().map(GosyncNode::close).toList()), 60);
    nodes.clear();
  }
}
