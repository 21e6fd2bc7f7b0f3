package io.gosync.api;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.gosync.testkit.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static io.gosync.testkit.Trees.assertNoTemporaryFiles;
import static io.gosync.testkit.Trees.assertSameTree;
import static io.gosync.testkit.Trees.file;
import static io.gosync.testkit.Trees.mixed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The README's "Event bus API", used the way another Vert.x application would use it: a clustered
 * Vert.x of our own joins the gosync nodes' Hazelcast cluster, with a certificate of the cluster's
 * CA for the event bus's mutual TLS, and talks to them with plain JSON on the documented addresses,
 * spelled out literally. The client path uses nothing of gosync's main classes (no Constants, no
 * GosyncNode, no codecs, no trust classes: the certs directory's files by name); the test kit only
 * starts the nodes, issues the client's certificate, writes the trees and compares them.
 */
class EventBusApiTest {

  private static final int WAIT_SECONDS = 120;

  private static TestCluster cluster;
  private static Vertx client;

  private final String base = "/data/ebapi-" + UUID.randomUUID();

  @BeforeAll
  static void joinTheCluster() {
    cluster = TestCluster.shared();
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(cluster.clusterName());
    config.setProperty("hazelcast.local.localAddress", "127.0.0.1");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.getNetworkConfig().setPort(TestCluster.freePort()).setPortAutoIncrement(false);
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());

    // What `gosync certs issue CA_DIR ebapi-client` makes: the CA's certificate, ours and our key.
    Path certs = cluster.issue("ebapi-client");
    EventBusOptions bus = new EventBusOptions().setHost("127.0.0.1").setPort(0).setClusterPublicHost("127.0.0.1")
        // Its client trusts every server unless told not to: then only the nodes' CA.
        .setSsl(true).setClientAuth(ClientAuth.REQUIRED).setTrustAll(false)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certs.resolve("node.pem").toString())
            .setKeyPath(certs.resolve("node-key.pem").toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(certs.resolve("ca.pem").toString()));
    client = await(Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(bus))
        .withClusterManager(new HazelcastClusterManager(config))
        .buildClustered());
  }

  @AfterAll
  static void leaveTheCluster() {
    if (client != null) {
      await(client.close());
      client = null;
    }
  }

  // ---- 1. submit and watch ----

  @Test
  void submitAndWatchEveryEventUntilDone() throws IOException {
    Path src = cluster.path("node0", base + "/src");
    mixed(src, 42, 2 * 1024 * 1024 + 12345);
    // Something node2 has and the source lacks: with delete it must go.
    file(cluster.path("node2", base + "/dst"), "stale/extra.txt", "not in the source\n");

    String id = "ebapi-" + UUID.randomUUID();
    Watch watch = watch(id);
    JsonObject accepted = submit("gosync.node.node0.tasks.submit", new JsonObject()
        .put("id", id).put("src", base + "/src").put("dst", base + "/dst")
        .put("targets", new JsonArray().add("node1").add("node2")).put("delete", true)).body();
    assertEquals(id, accepted.getString("id"), accepted.encode());
    assertEquals("node0", accepted.getString("source"), accepted.encode());

    JsonObject done = await(watch.done().future());
    List<JsonObject> events = List.copyOf(watch.events);
    String seen = describe(events);

    // Every event belongs to this task, and "done" is the last one.
    for (JsonObject event : events) {
      assertEquals(id, event.getString("taskId"), event.encode());
    }
    assertEquals("done", events.get(events.size() - 1).getString("type"), seen);
    assertEquals(1, events.stream().filter(e -> "done".equals(e.getString("type"))).count(), seen);

    // state events: the task went through its states in order.
    assertEquals(List.of("scanning", "preparing", "transferring"),
        events.stream().filter(e -> "state".equals(e.getString("type"))).map(e -> e.getString("state")).toList(), seen);

    for (String target : List.of("node1", "node2")) {
      // target events: every status change of this target, in order.
      List<String> statuses = events.stream()
          .filter(e -> "target".equals(e.getString("type")) && target.equals(e.getString("target")))
          .map(e -> e.getString("status")).toList();
      assertEquals(List.of("preparing", "prepared", "transferring", "ok"), statuses, seen);

      // progress events: some while it received, never going back, the last one complete.
      List<JsonObject> progress = events.stream()
          .filter(e -> "progress".equals(e.getString("type")) && target.equals(e.getString("target"))).toList();
      assertFalse(progress.isEmpty(), "no progress event for " + target + ": " + seen);
      long previous = -1;
      for (JsonObject p : progress) {
        for (String field : List.of("files", "bytes", "totalFiles", "totalBytes")) {
          assertNotNull(p.getLong(field), field + " missing in " + p.encode());
        }
        assertTrue(p.getLong("bytes") >= previous, "progress went back: " + seen);
        assertTrue(p.getLong("bytes") <= p.getLong("totalBytes"), p.encode());
        previous = p.getLong("bytes");
      }
      JsonObject last = progress.get(progress.size() - 1);
      assertTrue(last.getLong("totalBytes") > 2 * 1024 * 1024, last.encode());
      assertEquals(last.getLong("totalBytes"), last.getLong("bytes"), last.encode());
      assertEquals(last.getLong("totalFiles"), last.getLong("files"), last.encode());
    }

    // The done event carries the final task.
    assertEquals("done", done.getString("state"), done.encodePrettily());
    assertEquals(Boolean.TRUE, done.getBoolean("ok"), done.encodePrettily());
    assertNull(done.getString("message"), done.encodePrettily());
    assertEquals(regularFiles(src), done.getLong("files"), done.encodePrettily());
    assertEquals(regularBytes(src), done.getLong("bytes"), done.encodePrettily());
    assertNotNull(done.getLong("finishedAt"), done.encodePrettily());
    JsonArray targets = done.getJsonArray("targets");
    assertEquals(2, targets.size(), done.encodePrettily());
    for (String target : List.of("node1", "node2")) {
      JsonObject result = result(done, target);
      assertEquals("ok", result.getString("status"), result.encode());
      assertEquals(target, result.getString("node"), result.encode());
      assertNull(result.getString("message"), result.encode());
      assertEquals(regularFiles(src), result.getLong("totalFiles"), result.encode());
      assertEquals(result.getLong("totalFiles"), result.getLong("files"), result.encode());
      assertEquals(result.getLong("totalBytes"), result.getLong("bytes"), result.encode());
    }
    // stale/ and stale/extra.txt
    assertEquals(2, result(done, "node2").getLong("deleted"), result(done, "node2").encode());

    for (String target : List.of("node1", "node2")) {
      Path dst = cluster.path(target, base + "/dst");
      assertSameTree(src, dst);
      assertNoTemporaryFiles(dst);
    }
  }

  // ---- 2. status ----

  @Test
  void statusAnswersWithTheFinalTaskAndUnknownIdsAre404() throws IOException {
    Path src = cluster.path("node0", base + "/src");
    file(src, "one.txt", "one\n");
    file(src, "sub/two.txt", "two\n");

    String id = "ebapi-status-" + UUID.randomUUID();
    JsonObject done = syncAndWait(id, new JsonObject().put("id", id).put("src", base + "/src")
        .put("dst", base + "/dst").put("targets", new JsonArray().add("node1").add("node2")));
    assertEquals("done", done.getString("state"), done.encodePrettily());
    assertEquals(Boolean.TRUE, done.getBoolean("ok"), done.encodePrettily());

    JsonObject status = await(client.eventBus().<JsonObject>request("gosync.node.node0.tasks.status",
        new JsonObject().put("id", id))).body();
    assertEquals("done", status.getString("state"), status.encodePrettily());
    assertEquals(Boolean.TRUE, status.getBoolean("ok"), status.encodePrettily());
    assertEquals(id, status.getString("id"), status.encodePrettily());
    assertEquals("node0", status.getString("source"), status.encodePrettily());
    // The very same task as the done event, without the event's own two fields.
    JsonObject expected = done.copy();
    expected.remove("type");
    expected.remove("taskId");
    assertEquals(expected, status, "status:\n" + status.encodePrettily() + "\ndone:\n" + done.encodePrettily());
    for (String target : List.of("node1", "node2")) {
      assertEquals("ok", result(status, target).getString("status"), status.encodePrettily());
      assertSameTree(src, cluster.path(target, base + "/dst"));
    }

    ReplyException unknown = refused("gosync.node.node0.tasks.status",
        new JsonObject().put("id", "no-such-task-" + UUID.randomUUID()));
    assertEquals(ReplyFailure.RECIPIENT_FAILURE, unknown.failureType(), unknown.toString());
    assertEquals(404, unknown.failureCode(), unknown.toString());
    assertTrue(unknown.getMessage().contains("no-such-task-"), unknown.getMessage());
  }

  // ---- 3. bad requests and duplicates ----

  @Test
  void badRequestsAre400NamingTheFieldAndADuplicateIdIs409() throws IOException {
    Path src = cluster.path("node0", base + "/src");
    file(src, "a.txt", "a\n");
    String dst = base + "/dst";

    String missingSrc = "ebapi-bad-" + UUID.randomUUID();
    assertBadRequest(new JsonObject().put("id", missingSrc).put("dst", dst)
        .put("targets", new JsonArray().add("node1")), "src");

    String noTargets = "ebapi-bad-" + UUID.randomUUID();
    assertBadRequest(new JsonObject().put("id", noTargets).put("src", base + "/src").put("dst", dst)
        .put("targets", new JsonArray()), "targets");

    String relativeDst = "ebapi-bad-" + UUID.randomUUID();
    ReplyException relative = assertBadRequest(new JsonObject().put("id", relativeDst).put("src", base + "/src")
        .put("dst", dst.substring(1)).put("targets", new JsonArray().add("node1")), "dst");
    assertTrue(relative.getMessage().contains("absolute"), relative.getMessage());

    // None of them left a task behind, and no target was touched.
    for (String id : List.of(missingSrc, noTargets, relativeDst)) {
      ReplyException none = refused("gosync.node.node0.tasks.status", new JsonObject().put("id", id));
      assertEquals(404, none.failureCode(), none.toString());
    }
    assertFalse(Files.exists(cluster.path("node1", dst)), "a refused request changed node1");

    // A good task, then the same id again.
    String id = "ebapi-dup-" + UUID.randomUUID();
    JsonObject request = new JsonObject().put("id", id).put("src", base + "/src").put("dst", dst)
        .put("targets", new JsonArray().add("node1"));
    JsonObject done = syncAndWait(id, request);
    assertEquals(Boolean.TRUE, done.getBoolean("ok"), done.encodePrettily());
    ReplyException duplicate = refused("gosync.node.node0.tasks.submit", request);
    assertEquals(ReplyFailure.RECIPIENT_FAILURE, duplicate.failureType(), duplicate.toString());
    assertEquals(409, duplicate.failureCode(), duplicate.toString());
    assertTrue(duplicate.getMessage().startsWith("id:"), duplicate.getMessage());
    assertTrue(duplicate.getMessage().contains(id), duplicate.getMessage());
  }

  // ---- 4. no such node ----

  @Test
  void aSubmitToANodeThatDoesNotExistHasNoHandlers() {
    JsonObject request = new JsonObject().put("id", "ebapi-nowhere-" + UUID.randomUUID())
        .put("src", base + "/src").put("dst", base + "/dst").put("targets", new JsonArray().add("node1"));
    ReplyException nowhere = refused("gosync.node.no-such-node-" + UUID.randomUUID() + ".tasks.submit", request);
    assertEquals(ReplyFailure.NO_HANDLERS, nowhere.failureType(), nowhere.toString());
  }

  // ---- the client side: plain Vert.x event bus, literal addresses, JSON ----

  /** The events of one task as a consumer on the client sees them; {@code done} completes on "done". */
  private record Watch(List<JsonObject> events, Promise<JsonObject> done, MessageConsumer<JsonObject> consumer) {
  }

  /** Subscribes to the task's events and waits until the registration has reached the cluster. */
  private static Watch watch(String id) {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    Promise<JsonObject> done = Promise.promise();
    MessageConsumer<JsonObject> consumer = client.eventBus().consumer("gosync.task." + id + ".events", message -> {
      JsonObject event = message.body();
      events.add(event);
      if ("done".equals(event.getString("type"))) {
        done.tryComplete(event);
      }
    });
    await(consumer.completion());
    done.future().onComplete(v -> consumer.unregister());
    return new Watch(events, done, consumer);
  }

  private static Message<JsonObject> submit(String address, JsonObject request) {
    return await(client.eventBus().<JsonObject>request(address, request));
  }

  private static JsonObject syncAndWait(String id, JsonObject request) {
    Watch watch = watch(id);
    JsonObject accepted = submit("gosync.node.node0.tasks.submit", request).body();
    assertEquals(id, accepted.getString("id"), accepted.encode());
    return await(watch.done().future());
  }

  private static ReplyException assertBadRequest(JsonObject request, String field) {
    ReplyException refused = refused("gosync.node.node0.tasks.submit", request);
    assertEquals(ReplyFailure.RECIPIENT_FAILURE, refused.failureType(), refused.toString());
    assertEquals(400, refused.failureCode(), refused.toString());
    assertTrue(refused.getMessage().startsWith(field + ":"),
        "the message should name '" + field + "': " + refused.getMessage());
    return refused;
  }

  /** Sends a request that must fail, and returns how. */
  private static ReplyException refused(String address, JsonObject body) {
    EventBus bus = client.eventBus();
    Future<Message<JsonObject>> reply = bus.request(address, body);
    try {
      reply.await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer from " + address + " within " + WAIT_SECONDS + " s", e);
    } catch (ReplyException e) {
      return e;
    } catch (RuntimeException e) {
      return assertInstanceOf(ReplyException.class, e, "not a ReplyException");
    }
    return fail("expected " + address + " to refuse " + body.encode() + ", got " + reply.result().body());
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + WAIT_SECONDS + " s", e);
    }
  }

  // ---- small helpers over the results ----

  private static JsonObject result(JsonObject task, String target) {
    for (Object item : task.getJsonArray("targets")) {
      JsonObject line = (JsonObject) item;
      if (target.equals(line.getString("target"))) {
        return line;
      }
    }
    throw new AssertionError("no result for " + target + " in " + task.encodePrettily());
  }

  private static String describe(List<JsonObject> events) {
    List<String> lines = new ArrayList<>();
    for (JsonObject event : events) {
      lines.add(event.encode());
    }
    return events.size() + " events:\n  " + String.join("\n  ", lines);
  }

  private static long regularFiles(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(Files::isRegularFile).filter(p -> !Files.isSymbolicLink(p)).count();
    }
  }

  private static long regularBytes(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      long total = 0;
      for (Path p : all.filter(Files::isRegularFile).filter(q -> !Files.isSymbolicLink(q)).toList()) {
        total += Files.size(p);
      }
      return total;
    }
  }
}
