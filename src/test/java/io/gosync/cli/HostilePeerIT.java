package io.gosync.cli;

import io.gosync.fs.Timestamp;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.gosync.protocol.ManifestRef;
import io.gosync.protocol.Prepare;
import io.gosync.relay.wire.StreamHeader;
import io.gosync.scan.Entry;
import io.gosync.scan.Manifest;
import io.gosync.scan.ManifestCodec;
import io.gosync.testkit.TlsSockets;
import io.gosync.trust.ApiToken;
import io.gosync.trust.ClusterAuthority;
import io.gosync.trust.NodeIdentity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The memory attacks of issue 10 against a daemon of the heap README documents (config/daemon-jvm.options,
 * -Xmx256m), each its own JVM from the jar: a certified peer that sends a manifest of 3,000,000 entries, and
 * one that opens 30 connections each sending 15 MiB of a header that claims 16 MiB. Before the budgets the
 * first ran the target out of heap and out of the cluster, the second threw OutOfMemoryErrors on its network
 * threads. Now each is refused with a reason, and afterwards the daemon is still up, in the cluster, says so
 * on /health, and lands the next real task.
 */
class HostilePeerIT {

  private static final Path JAR = Path.of("target", "gosync.jar").toAbsolutePath();
  private static final Path JVM_OPTIONS = Path.of("config", "daemon-jvm.options").toAbsolutePath();
  private static final Duration READY_WITHIN = Duration.ofSeconds(120);
  private static final int HOSTILE_ENTRIES = 3_000_000;
  private static final int CONNECTIONS = 30;
  private static final int CLAIMED_HEADER = 16 << 20;
  private static final int SENT_HEADER = 15 << 20;
  private static final long MTIME = 1_500_000_000_000_000_000L;

  @TempDir
  static Path base;

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final List<Daemon> DAEMONS = new ArrayList<>();
  private static ClusterAuthority authority;
  private static NodeIdentity intruder;
  private static Vertx peer;

  @RegisterExtension
  static final TestWatcher LOGS_ON_FAILURE = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      DAEMONS.forEach(Daemon::printLog);
    }
  };

  record Daemon(String name, int dataPort, int httpPort, int clusterPort, Path root, Path log, Process process) {
    void printLog() {
      try {
        System.out.println("===== " + name + " log =====\n" + Files.readString(log));
      } catch (IOException e) {
        System.out.println("cannot read " + log + ": " + e);
      }
    }
  }

  @BeforeAll
  static void startTheDaemonsAndJoinAsACertifiedPeer() throws Exception {
    assertTrue(Files.isRegularFile(JAR), JAR + " is missing: run `mvn package` first");
    authority = ClusterAuthority.init(base.resolve("ca"));
    String cluster = "gosync-hostile-" + UUID.randomUUID();
    Path config = Files.writeString(base.resolve("cluster.json"), new JsonObject().put("clusterName", cluster)
        .put("heartbeatMs", 500).put("progressIntervalMs", 200).encodePrettily());
    List<Integer> clusterPorts = List.of(FreePorts.next(), FreePorts.next());
    List<String> members = clusterPorts.stream().map(port -> "127.0.0.1:" + port).toList();
    for (int i = 0; i < clusterPorts.size(); i++) {
      DAEMONS.add(start("node" + i, config, clusterPorts.get(i), members));
    }
    awaitReady();
    intruder = NodeIdentity.load(authority.issue("intruder", List.of("127.0.0.1"), true));
    peer = join(cluster, members).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopTheDaemons() throws InterruptedException {
    if (peer != null) {
      peer.close().await();
    }
    DAEMONS.forEach(daemon -> daemon.process().destroy());
    for (Daemon daemon : DAEMONS) {
      if (!daemon.process().waitFor(30, TimeUnit.SECONDS)) {
        daemon.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aManifestOfThreeMillionEntriesIsRefusedAndTheTargetServesTheNextTask() throws Exception {
    byte[] manifest = hostileManifest();

    ReplyException announced = prepare(manifest, HOSTILE_ENTRIES);
    // A source that understates the count is stopped by the bytes of its share while they arrive, before a decode.
    ReplyException understated = prepare(manifest, 100);

    assertEquals(400, announced.failureCode(), announced.getMessage());
    assertTrue(announced.getMessage().startsWith("manifest: " + HOSTILE_ENTRIES + " entries exceed this node's budget of "),
        announced.getMessage());
    assertTrue(announced.getMessage().endsWith("for a heap of 253 MiB"), announced.getMessage());
    assertEquals(400, understated.failureCode(), understated.getMessage());
    assertTrue(understated.getMessage().startsWith("manifest: more than 65536 bytes arrived for 100 entries"),
        understated.getMessage());
    assertStillServes("/data/after-manifest");
  }

  @Test
  void thirtyConnectionsOfSixteenMibHeadersAreRefusedAndTheTargetServesTheNextTask() throws Exception {
    ExecutorService senders = Executors.newFixedThreadPool(CONNECTIONS);
    List<CompletableFuture<Long>> sent = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      sent.add(CompletableFuture.supplyAsync(HostilePeerIT::sendAHugeHeader, senders));
    }
    senders.shutdown();
    assertTrue(senders.awaitTermination(60, TimeUnit.SECONDS), "the senders did not finish");
    for (CompletableFuture<Long> connection : sent) {
      assertTrue(connection.get() < SENT_HEADER, "a connection took all " + connection.get() + " bytes of its header");
    }

    String log = Files.readString(victim().log());
    assertEquals(CONNECTIONS, log.lines().filter(line -> line.contains("a header of " + CLAIMED_HEADER
        + " bytes is longer than the " + StreamHeader.MAX_BYTES + " a relay stream header may have")).count(), log);
    assertStillServes("/data/after-flood");
  }

  // ---- the attacks ----

  /** Root and 2,999,999 directories below it, as our own encoder writes them: a few MB compressed. */
  private static byte[] hostileManifest() {
    List<Entry> entries = new ArrayList<>(HOSTILE_ENTRIES);
    entries.add(Entry.dir("", Timestamp.ofEpochNanos(MTIME), 0755));
    for (int i = 1; i < HOSTILE_ENTRIES; i++) {
      entries.add(Entry.dir(Integer.toString(i, 36), Timestamp.ofEpochNanos(MTIME), 0755));
    }
    return ManifestCodec.encode(Manifest.of(entries));
  }

  /**
   * As a source would: serves the manifest in chunks of the default size and asks node1 to prepare, announcing
   * {@code entries}.
   */
  private static ReplyException prepare(byte[] manifest, int entries) throws Exception {
    String taskId = "hostile-" + UUID.randomUUID();
    int chunkBytes = 512 * 1024;
    MessageConsumer<Object> serve = peer.eventBus().consumer("gosync.task." + taskId + ".manifest", message -> {
      int chunk = ((JsonObject) message.body()).getInteger("chunk");
      int from = chunk * chunkBytes;
      message.reply(Buffer.buffer(Arrays.copyOfRange(manifest, from, Math.min(manifest.length, from + chunkBytes))));
    });
    serve.completion().await(30, TimeUnit.SECONDS);
    int chunks = (manifest.length + chunkBytes - 1) / chunkBytes;
    Prepare ask = new Prepare(taskId, "intruder", "/data/hostile", false, true,
        new ManifestRef(ManifestCodec.digest(manifest), chunks, entries), null);
    Future<?> reply = peer.eventBus().request("gosync.node.node1.prepare", ask.toJson(),
        new DeliveryOptions().setSendTimeout(60_000));
    Throwable failure = reply.transform(done -> Future.succeededFuture(done.cause())).await(90, TimeUnit.SECONDS);
    serve.unregister();
    return assertInstanceOf(ReplyException.class, failure, "node1 took the manifest: " + reply.result());
  }

  /** @return how many bytes of the header went out before node1 closed the connection */
  private static long sendAHugeHeader() {
    byte[] piece = new byte[64 * 1024];
    long written = 0;
    try (Socket socket = TlsSockets.connect(peer, intruder, intruder, "127.0.0.1", victim().dataPort())) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeInt(StreamHeader.MAGIC);
      out.writeInt(CLAIMED_HEADER);
      while (written < SENT_HEADER) {
        out.write(piece);
        written += piece.length;
      }
      out.flush();
      // Sent all of it: the node kept reading. Whatever it does next, the test counts this connection as taken.
      return written;
    } catch (IOException e) {
      return written;
    }
  }

  // ---- after each attack ----

  /** node1 is up, in the cluster as node0 sees it, healthy, and a real sync from node0 to it ends ok. */
  private static void assertStillServes(String dst) throws Exception {
    assertTrue(victim().process().isAlive(), "node1 exited");
    HttpResponse<String> health = get(victim(), "/health");
    assertEquals(200, health.statusCode(), health.body());
    assertEquals("UP", new JsonObject(health.body()).getString("status"), health.body());
    assertTrue(get(DAEMONS.get(0), "/api/v1/nodes").body().contains("\"node1\""), "node0 does not list node1");

    Path src = DAEMONS.get(0).root().resolve("data/small");
    Files.createDirectories(src);
    Files.writeString(src.resolve("after.txt"), "the next real task\n");
    JsonObject task = new JsonObject().put("src", "/data/small").put("dst", dst).put("targets", new JsonArray().add("node1"));
    JsonObject done = run(task);

    JsonObject line = done.getJsonArray("targets").getJsonObject(0);
    assertEquals("ok", line.getString("status"), done.encodePrettily());
    assertEquals("the next real task\n", Files.readString(victim().root().resolve(dst.substring(1)).resolve("after.txt")));
    assertFalse(Files.readString(victim().log()).contains("OutOfMemoryError"), "node1 ran out of memory");
  }

  /** Submits to node0's HTTP API and polls the task until it is done. */
  private static JsonObject run(JsonObject task) throws Exception {
    HttpResponse<String> submitted = HTTP.send(request(DAEMONS.get(0), "/api/v1/tasks")
        .POST(HttpRequest.BodyPublishers.ofString(task.encode())).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(202, submitted.statusCode(), submitted.body());
    String id = new JsonObject(submitted.body()).getString("id");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      JsonObject status = new JsonObject(get(DAEMONS.get(0), "/api/v1/tasks/" + id).body());
      if ("done".equals(status.getString("state"))) {
        return status;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("task " + id + " was not done within 30 s");
  }

  // ---- the daemons and the peer ----

  private static Daemon start(String name, Path config, int clusterPort, List<String> members) throws IOException {
    Path root = Files.createDirectories(base.resolve(name));
    Files.createDirectories(root.resolve("data"));
    Path certs = authority.issue(name, List.of("127.0.0.1"), true);
    int dataPort = FreePorts.next();
    int httpPort = FreePorts.next();
    Path log = base.resolve(name + ".log");
    Process process = new ProcessBuilder(java(), "@" + JVM_OPTIONS, "-jar", JAR.toString(), "daemon",
        "--config", config.toString(), "--certs", certs.toString(), "--host", "127.0.0.1",
        "--data-port", String.valueOf(dataPort), "--http-port", String.valueOf(httpPort),
        "--cluster-port", String.valueOf(clusterPort), "--cluster-members", String.join(",", members),
        "--root", root.toString(), "--allow", "/data")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new Daemon(name, dataPort, httpPort, clusterPort, root, log, process);
  }

  /** Both daemons answer /health and node0 lists both. */
  private static void awaitReady() throws Exception {
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (get(DAEMONS.get(1), "/health").statusCode() == 200
            && new JsonArray(get(DAEMONS.get(0), "/api/v1/nodes").body()).size() == DAEMONS.size()) {
          return;
        }
      } catch (IOException | RuntimeException e) {
        // not listening yet, or not clustered yet
      }
      DAEMONS.forEach(daemon -> assertTrue(daemon.process().isAlive(), daemon.name() + " exited"));
      Thread.sleep(250);
    }
    DAEMONS.forEach(Daemon::printLog);
    fail("the daemons were not ready within " + READY_WITHIN.toSeconds() + " s");
  }

  /** A clustered Vert.x with a certificate of the cluster's CA, as any certified node has. */
  private static Future<Vertx> join(String cluster, List<String> members) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(cluster);
    config.setProperty("hazelcast.local.localAddress", "127.0.0.1");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.getNetworkConfig().setPort(FreePorts.next()).setPortAutoIncrement(false);
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(members);
    EventBusOptions bus = new EventBusOptions().setSsl(true).setClientAuth(ClientAuth.REQUIRED).setTrustAll(false)
        .setKeyCertOptions(intruder.keyCertOptions()).setTrustOptions(intruder.trustOptions());
    bus.setHost("127.0.0.1").setPort(0).setClusterPublicHost("127.0.0.1");
    return Vertx.builder().with(new VertxOptions().setEventBusOptions(bus))
        .withClusterManager(new HazelcastClusterManager(config)).buildClustered();
  }

  private static Daemon victim() {
    return DAEMONS.get(1);
  }

  private static HttpResponse<String> get(Daemon daemon, String path) throws IOException, InterruptedException {
    return HTTP.send(request(daemon, path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(Daemon daemon, String path) {
    String token = ApiToken.read(authority.dir().resolve(ApiToken.FILE)).value();
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.httpPort() + path))
        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10));
  }

  private static String java() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
