package io.gosync.cli;

import io.gosync.fs.Timestamp;
import io.gosync.protocol.ManifestRef;
import io.gosync.protocol.Prepare;
import io.gosync.relay.wire.StreamHeader;
import io.gosync.scan.Entry;
import io.gosync.scan.Manifest;
import io.gosync.scan.ManifestCodec;
import io.gosync.testkit.DaemonProcesses;
import io.gosync.testkit.DaemonProcesses.Daemon;
import io.gosync.testkit.DaemonProcesses.Options;
import io.gosync.testkit.TestCluster;
import io.gosync.testkit.TlsSockets;
import io.gosync.trust.NodeIdentity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memory attacks of issue 10 against a daemon of the heap README documents (config/daemon-jvm.options,
 * -Xmx256m), each its own JVM from the jar: a certified peer that sends a manifest of 3,000,000 entries, and
 * one that opens 30 connections each sending 15 MiB of a header that claims 16 MiB. Before the budgets the
 * first ran the target out of heap and out of the cluster, the second threw OutOfMemoryErrors on its network
 * threads. Now each is refused with a reason, and afterwards the daemon is still up, in the cluster, says so
 * on /health, and lands the next real task.
 */
class HostilePeerIT {

  private static final int HOSTILE_ENTRIES = 3_000_000;
  private static final int CONNECTIONS = 30;
  private static final int CLAIMED_HEADER = 16 << 20;
  private static final int SENT_HEADER = 15 << 20;
  private static final long MTIME = 1_500_000_000_000_000_000L;

  @TempDir
  static Path base;

  /** Shows the daemons' logs next to a failed test and stops them after the last. */
  @RegisterExtension
  static final DaemonProcesses daemons = new DaemonProcesses();

  private static NodeIdentity intruder;
  private static Vertx peer;

  @BeforeAll
  static void startTheDaemonsAndJoinAsACertifiedPeer() throws Exception {
    daemons.start(base, Options.of(2).withConfig("progressIntervalMs", 200));
    daemons.awaitReady();
    intruder = NodeIdentity.load(daemons.issue("intruder"));
    peer = TestCluster.joinHazelcast(daemons.clusterName(), daemons.members(), TestCluster.tls(intruder), Map.of())
        .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  @AfterAll
  static void leaveTheCluster() throws InterruptedException {
    if (peer != null) {
      peer.close().await();
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
    HttpResponse<String> health = daemons.get(victim(), "/health");
    assertEquals(200, health.statusCode(), health.body());
    assertEquals("UP", new JsonObject(health.body()).getString("status"), health.body());
    assertTrue(daemons.get(daemons.node0(), "/api/v1/nodes").body().contains("\"node1\""), "node0 does not list node1");

    Path src = daemons.node0().path("/data/small");
    Files.createDirectories(src);
    Files.writeString(src.resolve("after.txt"), "the next real task\n");
    JsonObject task = new JsonObject().put("src", "/data/small").put("dst", dst).put("targets", new JsonArray().add("node1"));
    JsonObject done = run(task);

    JsonObject line = done.getJsonArray("targets").getJsonObject(0);
    assertEquals("ok", line.getString("status"), done.encodePrettily());
    assertEquals("the next real task\n", Files.readString(victim().path(dst).resolve("after.txt")));
    assertFalse(Files.readString(victim().log()).contains("OutOfMemoryError"), "node1 ran out of memory");
  }

  /** Submits to node0's HTTP API and polls the task until it is done. */
  private static JsonObject run(JsonObject task) throws Exception {
    HttpResponse<String> submitted = daemons.send(daemons.request(daemons.node0(), "/api/v1/tasks")
        .POST(HttpRequest.BodyPublishers.ofString(task.encode())).build());
    assertEquals(202, submitted.statusCode(), submitted.body());
    String id = new JsonObject(submitted.body()).getString("id");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      JsonObject status = new JsonObject(daemons.get(daemons.node0(), "/api/v1/tasks/" + id).body());
      if ("done".equals(status.getString("state"))) {
        return status;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("task " + id + " was not done within 30 s");
  }

  // ---- the daemons ----

  private static Daemon victim() {
    return daemons.daemon("node1");
  }
}
