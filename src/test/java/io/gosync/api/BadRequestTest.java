package io.gosync.api;

import io.gosync.scan.TreeSnapshot;
import io.gosync.testkit.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.gosync.testkit.Trees.assertNoTemporaryFiles;
import static io.gosync.testkit.Trees.assertSameTree;
import static io.gosync.testkit.Trees.dir;
import static io.gosync.testkit.Trees.file;
import static io.gosync.testkit.Trees.link;
import static io.gosync.testkit.Trees.mixed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad requests to the HTTP API of a real node: each is a 400 (or 404/413) whose "error" names
 * what is wrong, and none leaves a task behind or changes a file on the source or its targets.
 */
class BadRequestTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private final TestCluster cluster = TestCluster.shared();
  private final String authorization = "Bearer " + cluster.token();
  private final String base = "/data/badreq-" + UUID.randomUUID();

  private record Reply(int status, String text) {
    JsonObject json() {
      return new JsonObject(text);
    }

    String error() {
      return json().getString("error");
    }
  }

  // ---- bodies that are not a request at all ----

  @ParameterizedTest
  @ValueSource(strings = {"src=/data/x&dst=/data/y", "{\"src\": ", "[{\"src\":\"/data/x\"}]", "[]", "\"text\"", "42",
      "true"})
  void aBodyThatIsNotAJsonObjectIsRefused(String body) throws Exception {
    Reply reply = refusedWithoutChange(body);
    assertEquals(400, reply.status(), reply.text());
    assertTrue(reply.error().contains("JSON object"), reply.error());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "null", "   "})
  void anEmptyBodyIsRefused(String body) throws Exception {
    Reply reply = refusedWithoutChange(body);
    assertEquals(400, reply.status(), reply.text());
    assertTrue(reply.error().contains("JSON object"), reply.error());
  }

  @Test
  void aBodyOverTheLimitIsRefused() throws Exception {
    JsonObject request = request("/data/x", "/data/y").put("id", "x".repeat(2 << 20));
    Reply reply = refusedWithoutChange(request.encode());
    assertEquals(413, reply.status(), reply.text());
  }

  // ---- requests with a bad field ----

  @ParameterizedTest
  @ValueSource(strings = {"src", "dst", "targets"})
  void aMissingFieldIsNamed(String field) throws Exception {
    JsonObject request = request(base + "/src", base + "/dst");
    request.remove(field);
    assertRefused(request, field, "required");
  }

  @Test
  void aRelativePathIsNamed() throws Exception {
    assertRefused(request("data/src", base + "/dst"), "src", "absolute");
    assertRefused(request(base + "/src", "data/dst"), "dst", "absolute");
  }

  @Test
  void dotDotIsNamed() throws Exception {
    assertRefused(request("/data/../etc", base + "/dst"), "src", "'..'");
    assertRefused(request(base + "/src", "/data/../../etc"), "dst", "'..'");
  }

  @Test
  void anUnknownFieldIsNamed() throws Exception {
    assertRefused(request(base + "/src", base + "/dst").put("recursive", true), "recursive", "unknown field");
  }

  @Test
  void aFieldOfTheWrongTypeIsNamed() throws Exception {
    assertRefused(request(base + "/src", base + "/dst").put("delete", "yes"), "delete", "true or false");
    assertRefused(request(base + "/src", base + "/dst").put("targets", 7), "targets", "list");
    assertRefused(request(base + "/src", base + "/dst").put("fanout", 0), "fanout", "1 to 64");
    assertRefused(request(base + "/src", base + "/dst").put("fanout", 1.5), "fanout", "1 to 64");
  }

  // ---- requests whose source is wrong on this node ----

  @Test
  void aSourceOutsideTheAllowedDirectoriesIsRefused() throws Exception {
    String outside = "/opt-" + UUID.randomUUID();
    file(cluster.path("node0", outside), "f.txt", "exists, but is not allowed\n");
    assertRefused(request(outside, base + "/dst"), "src", "outside the allowed directories");
    assertRefused(request(outside + "/f.txt", base + "/dst"), "src", "outside the allowed directories");
  }

  @Test
  void aMissingSourceIsRefused() throws Exception {
    assertRefused(request(base + "/no-such-dir", base + "/dst"), "src", "does not exist");
  }

  @Test
  void anEmptySourceDirectoryIsRefused() throws Exception {
    dir(cluster.path("node0", base), "empty");
    assertRefused(request(base + "/empty", base + "/dst"), "src", "empty");
  }

  @Test
  void aSourceThatLeadsOutThroughASymlinkIsRefused() throws Exception {
    Path outside = cluster.root("node0").resolve("outside-" + UUID.randomUUID());
    file(outside, "secret.txt", "not to be synced\n");
    link(cluster.path("node0", base), "out", outside.toString());
    assertRefused(request(base + "/out", base + "/dst"), "src", "symlink");
  }

  // ---- the source node as its own target ----

  @ParameterizedTest
  @ValueSource(strings = {"/src", "/src/", "//src", "/src/inner", "/src/inner/deeper", "", "/"})
  void aLocalDestinationOverlappingTheSourceIsRefused(String dst) throws Exception {
    file(cluster.path("node0", base), "src/inner/f.txt", "f\n");
    assertRefused(request(base + "/src", base + dst).put("targets", new JsonArray().add("node0")), "dst",
        "overlaps");
  }

  @Test
  void theSourceNodeNamedByItsDataAddressIsStillItself() throws Exception {
    file(cluster.path("node0", base), "src/f.txt", "f\n");
    String alias = "127.0.0.1:" + cluster.config("node0").dataPort();
    assertRefused(request(base + "/src", base + "/src/copy").put("targets", new JsonArray().add("node1").add(alias)),
        "dst", "overlaps");
  }

  /** A destination that reaches into the source through a symlink overlaps it just the same. */
  @Test
  void aLocalDestinationReachingIntoTheSourceThroughASymlinkIsRefused() throws Exception {
    Path src = file(cluster.path("node0", base), "src/f.txt", "f\n").getParent();
    link(cluster.path("node0", base), "alias", "src");
    TreeSnapshot before = TreeSnapshot.of(src);

    String id = newId();
    Reply reply = post(request(base + "/src", base + "/alias/copy").put("id", id)
        .put("targets", new JsonArray().add("node0")).encode());
    if (reply.status() == 202) {
      awaitDone(id);
    }

    assertEquals(List.of(), before.differences(TreeSnapshot.of(src)), "the source was written into");
    assertEquals(400, reply.status(), reply.text());
    assertTrue(reply.error().startsWith("dst:") && reply.error().contains("overlaps"), reply.error());
  }

  @Test
  void aLocalSyncToAnotherDirectoryWorks() throws Exception {
    Path src = mixed(cluster.path("node0", base + "/src"), 11, 300_000);
    TreeSnapshot before = TreeSnapshot.of(src);
    String id = newId();

    Reply reply = post(request(base + "/src", base + "/copy").put("id", id)
        .put("targets", new JsonArray().add("node0")).encode());
    assertEquals(202, reply.status(), reply.text());
    JsonObject done = awaitDone(id);

    assertEquals("ok", TestCluster.result(done, "node0").getString("status"), done.encodePrettily());
    Path copy = cluster.path("node0", base + "/copy");
    assertSameTree(src, copy);
    assertNoTemporaryFiles(copy);
    assertEquals(List.of(), before.differences(TreeSnapshot.of(src)));
    Reply status = get("/api/v1/tasks/" + id);
    assertEquals(200, status.status(), status.text());
    assertTrue(status.json().getBoolean("ok"), status.text());
    // The "done" event is what clients (gosync sync) judge the task by.
    assertTrue(done.getBoolean("ok"), "the done event says ok=false: " + done.encodePrettily());
  }

  @Test
  void reusingATaskIdIsAConflict() throws Exception {
    file(cluster.path("node0", base), "src/f.txt", "f\n");
    String id = newId();
    JsonObject request = request(base + "/src", base + "/dst").put("id", id);
    assertEquals(202, post(request.encode()).status());
    awaitDone(id);
    String first = get("/api/v1/tasks/" + id).text();

    Reply again = refusedWithoutChange(request.put("dst", base + "/elsewhere").encode());

    assertEquals(409, again.status(), again.text());
    assertTrue(again.error().startsWith("id:"), again.error());
    assertEquals(first, get("/api/v1/tasks/" + id).text(), "the first task was replaced");
    assertFalse(Files.exists(cluster.path("node1", base + "/elsewhere")));
  }

  // ---- reading tasks ----

  @Test
  void anUnknownTaskIsNotFound() throws Exception {
    Reply reply = get("/api/v1/tasks/unknown");
    assertEquals(404, reply.status(), reply.text());
    assertTrue(reply.error().contains("unknown"), reply.error());
    assertEquals(404, get("/api/v1/tasks/unknown/events").status());
  }

  // ---- helpers ----

  private JsonObject request(String src, String dst) {
    return new JsonObject().put("src", src).put("dst", dst).put("targets", new JsonArray().add("node1"));
  }

  private static String newId() {
    return "bad-" + UUID.randomUUID();
  }

  /** Posts a request that must be refused, and checks it left no task and no file change on node0 or node1. */
  private void assertRefused(JsonObject request, String field, String words) throws Exception {
    String id = newId();
    Reply reply = refusedWithoutChange(request.copy().put("id", id).encode());
    assertEquals(400, reply.status(), reply.text());
    assertTrue(reply.error().startsWith(field + ":"), "'" + field + ":' does not start: " + reply.error());
    assertTrue(reply.error().contains(words), "'" + words + "' not in: " + reply.error());
    assertEquals(404, get("/api/v1/tasks/" + id).status(), "a refused request left a task");
  }

  private Reply refusedWithoutChange(String body) throws Exception {
    TreeSnapshot source = TreeSnapshot.of(cluster.root("node0"));
    TreeSnapshot target = TreeSnapshot.of(cluster.root("node1"));
    Reply reply = post(body);
    assertEquals(List.of(), source.differences(TreeSnapshot.of(cluster.root("node0"))));
    assertEquals(List.of(), target.differences(TreeSnapshot.of(cluster.root("node1"))));
    return reply;
  }

  private Reply post(String body) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri("/api/v1/tasks")).timeout(Duration.ofSeconds(30))
        .header("Authorization", authorization).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), response.body());
  }

  private Reply get(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", authorization).GET().build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), response.body());
  }

  /** Follows the task's server-sent events to its "done" event. */
  private JsonObject awaitDone(String id) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri("/api/v1/tasks/" + id + "/events"))
        .header("Authorization", authorization).GET().build();
    return CompletableFuture.supplyAsync(() -> {
      try (Stream<String> lines = HTTP.send(request, HttpResponse.BodyHandlers.ofLines()).body()) {
        Iterator<String> it = lines.iterator();
        while (it.hasNext()) {
          if (it.next().equals("event: done") && it.hasNext()) {
            return new JsonObject(it.next().substring("data: ".length()));
          }
        }
        throw new AssertionError("the event stream of " + id + " ended without a done event");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }).get(60, TimeUnit.SECONDS);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + cluster.config("node0").httpPort() + path);
  }
}
