package io.gosync.cluster;

import io.gosync.fs.Timestamp;
import io.gosync.protocol.ManifestRef;
import io.gosync.protocol.Prepare;
import io.gosync.scan.Entry;
import io.gosync.scan.FileFacts;
import io.gosync.scan.Manifest;
import io.gosync.scan.ManifestCodec;
import io.gosync.scan.TreeSnapshot;
import io.gosync.testkit.TestCluster;
import io.gosync.trust.ClusterAuthority;
import io.gosync.trust.NodeIdentity;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.gosync.testkit.TestCluster.await;
import static io.gosync.testkit.Trees.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Members that joined the nodes' Hazelcast cluster, which takes anyone who knows its name, but hold no
 * certificate of the cluster's CA: one with no certificate at all (a plain clustered Vert.x, as the
 * attack of issue 9 was), one with a certificate of another CA that trusts ours. Hazelcast lets them
 * in; the event bus's mutual TLS must keep them from commanding a node and from hearing what nodes say.
 */
class HostileMemberTest {

  /** How long a hostile request waits for the answer that must not come. */
  private static final long REFUSED_WITHIN_MS = 5_000;
  /** After a task, how long a delivery to a hostile consumer may still be under way. */
  private static final long STRAGGLERS_MS = 1_000;
  private static final String TARGET = "node6";
  private static final long MTIME = 1_500_000_000_000_000_000L;

  @TempDir
  static Path tmp;

  private static TestCluster cluster;
  private static Vertx uncertified;
  private static Vertx otherCa;
  private static Vertx certified;

  private final String base = "/data/hostile-" + UUID.randomUUID();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  @BeforeAll
  static void joinTheCluster() {
    cluster = TestCluster.shared();
    // The impostor calls itself node1, trusts our CA (whose certificate is no secret) and its own.
    NodeIdentity impostor = NodeIdentity.load(ClusterAuthority.init(tmp.resolve("other-ca"))
        .issue("node1", List.of("127.0.0.1"), false));
    NodeIdentity member = cluster.identity("certified-app");
    Future<Vertx> plain = join(new EventBusOptions());
    Future<Vertx> foreign = join(TestCluster.tls(impostor).setTrustOptions(member.trustOptions().addCertPath(impostor.caFile().toString())));
    Future<Vertx> ours = join(TestCluster.tls(member));
    await(Future.all(plain, foreign, ours), 120);
    uncertified = plain.result();
    otherCa = foreign.result();
    certified = ours.result();
  }

  @AfterAll
  static void leaveTheCluster() {
    List<Future<Void>> closed = new ArrayList<>();
    for (Vertx member : new Vertx[] {uncertified, otherCa, certified}) {
      if (member != null) {
        closed.add(member.close());
      }
    }
    await(Future.join(closed), 60);
  }

  @AfterEach
  void unregister() {
    consumers.forEach(MessageConsumer::unregister);
  }

  @Test
  void aMemberWithoutCertificateCannotSubmitATask() throws IOException {
    String id = "hostile-" + UUID.randomUUID();

    assertUnanswered(uncertified.eventBus().request("gosync.node.node0.tasks.submit", task(id), timeout()));

    assertNoTask(id);
    assertFalse(Files.exists(cluster.path("node1", base + "/dst")), "node1 received the hostile task's files");
  }

  @Test
  void aMemberWithoutCertificateCannotMakeATargetWriteOrDelete() throws IOException {
    Path dst = file(cluster.path(TARGET, base + "/dst"), "keep.txt", "must stay\n").getParent();
    TreeSnapshot before = TreeSnapshot.of(cluster.root(TARGET));

    assertUnanswered(prepare(uncertified, "hostile-" + UUID.randomUUID()));

    assertEquals(List.of(), before.differences(TreeSnapshot.of(cluster.root(TARGET))), TARGET + "'s files changed");
    assertTrue(Files.exists(dst.resolve("keep.txt")));
  }

  @Test
  void aMemberWithoutCertificateHearsNothingOfARealTask() throws IOException {
    String id = "overheard-" + UUID.randomUUID();
    List<Object> heard = eavesdrop(uncertified, id);

    JsonObject done = cluster.sync("node0", task(id));

    assertEquals("ok", TestCluster.result(done, "node1").getString("status"), done.encodePrettily());
    assertNothingHeard(heard);
  }

  /**
   * Refused where a member certified by the cluster's CA is served, so that the refusal is the certificate's:
   * the same task from the certified member runs, and it hears the task's events; the impostor's own task and
   * prepare get no answer, and it hears nothing of the certified member's task.
   */
  @Test
  void aMemberWithAnotherCasCertificateIsRefusedWhereACertifiedOneIsServed() throws IOException {
    String served = "served-" + UUID.randomUUID();
    List<Object> heard = eavesdrop(otherCa, served);
    Promise<JsonObject> done = Promise.promise();
    MessageConsumer<JsonObject> events = certified.eventBus().consumer("gosync.task." + served + ".events",
        message -> {
          if ("done".equals(message.body().getString("type"))) {
            done.tryComplete(message.body());
          }
        });
    consumers.add(events);
    await(events.completion(), 30);

    await(certified.eventBus().request("gosync.node.node0.tasks.submit", task(served)), 30);
    JsonObject task = await(done.future(), 120);
    assertEquals("ok", TestCluster.result(task, "node1").getString("status"), task.encodePrettily());
    assertNothingHeard(heard);

    String refused = "hostile-" + UUID.randomUUID();
    assertUnanswered(otherCa.eventBus().request("gosync.node.node0.tasks.submit", task(refused), timeout()));
    assertNoTask(refused);
    TreeSnapshot before = TreeSnapshot.of(cluster.root(TARGET));
    assertUnanswered(prepare(otherCa, "hostile-" + UUID.randomUUID()));
    assertEquals(List.of(), before.differences(TreeSnapshot.of(cluster.root(TARGET))), TARGET + "'s files changed");
  }

  // ---- the members ----

  /** A clustered Vert.x that joins the nodes' Hazelcast cluster as any member may, with this event bus. */
  private static Future<Vertx> join(EventBusOptions bus) {
    return cluster.joinHazelcast(bus, Map.of());
  }

  // ---- what they try ----

  /** A small real task: node0's file to node1. */
  private JsonObject task(String id) throws IOException {
    file(cluster.path("node0", base + "/src"), "f.txt", "from the source\n");
    return new JsonObject().put("id", id).put("src", base + "/src").put("dst", base + "/dst")
        .put("targets", new JsonArray().add("node1"));
  }

  /**
   * The wipe and the planted setuid file of issue 9: serves a manifest of dst's root alone plus one file, and
   * asks the target to prepare dst with delete, as if the member were the task's source.
   */
  private Future<?> prepare(Vertx member, String id) {
    byte[] content = "bad".getBytes();
    byte[] manifest = ManifestCodec.encode(Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(MTIME), 0755),
        Entry.file("planted", content.length, Timestamp.ofEpochNanos(MTIME), 04755, HexFormat.of().formatHex(FileFacts.sha256().digest(content))))));
    MessageConsumer<Object> serve = member.eventBus().consumer("gosync.task." + id + ".manifest",
        message -> message.reply(Buffer.buffer(manifest)));
    consumers.add(serve);
    await(serve.completion(), 30);
    Prepare prepare = new Prepare(id, "intruder", base + "/dst", true, true,
        new ManifestRef(ManifestCodec.digest(manifest), 1, 2), null);
    return member.eventBus().request("gosync.node." + TARGET + ".prepare", prepare.toJson(), timeout());
  }

  /** Consumers on the task's published addresses: its events and the source's keepalives. */
  private List<Object> eavesdrop(Vertx member, String id) {
    List<Object> heard = new CopyOnWriteArrayList<>();
    for (String verb : List.of("events", "keepalive")) {
      MessageConsumer<Object> consumer = member.eventBus().consumer("gosync.task." + id + "." + verb,
          message -> heard.add(verb + ": " + message.body()));
      consumers.add(consumer);
      await(consumer.completion(), 30);
    }
    return heard;
  }

  private static DeliveryOptions timeout() {
    return new DeliveryOptions().setSendTimeout(REFUSED_WITHIN_MS);
  }

  // ---- checks ----

  /** No answer at all: a refusal by the node (RECIPIENT_FAILURE) would mean it read the request. */
  private static void assertUnanswered(Future<?> reply) {
    Throwable failure = await(reply.transform(done -> Future.succeededFuture(done.failed() ? done.cause() : null)),
        (int) (3 * REFUSED_WITHIN_MS / 1000));
    assertNotNull(failure, "a node answered: " + reply.result());
    if (failure instanceof ReplyException refusal) {
      assertNotEquals(ReplyFailure.RECIPIENT_FAILURE, refusal.failureType(), "a node read the request: " + failure);
    }
  }

  /** node0 knows no task of that id: asked by another node, its status is 404. */
  private static void assertNoTask(String id) {
    Future<?> status = cluster.node("node2").vertx().eventBus()
        .request("gosync.node.node0.tasks.status", new JsonObject().put("id", id));
    Throwable failure = await(status.transform(done -> Future.succeededFuture(done.failed() ? done.cause() : null)), 30);
    assertTrue(failure instanceof ReplyException unknown && unknown.failureCode() == 404,
        "node0 knows task " + id + ": " + (failure == null ? status.result() : failure));
  }

  private static void assertNothingHeard(List<Object> heard) {
    try {
      Thread.sleep(STRAGGLERS_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    assertEquals(List.of(), heard, "the member heard the cluster");
  }
}
