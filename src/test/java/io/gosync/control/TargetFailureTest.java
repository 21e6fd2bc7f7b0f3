package io.gosync.control;

import io.gosync.testkit.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.gosync.testkit.TestCluster.await;
import static io.gosync.testkit.TestCluster.result;
import static io.gosync.testkit.Trees.assertNoTemporaryFiles;
import static io.gosync.testkit.Trees.assertSameTree;
import static io.gosync.testkit.Trees.file;
import static io.gosync.testkit.Trees.mixed;
import static io.gosync.testkit.Trees.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A target that is down, or dies mid-transfer, is reported for itself; the others complete. */
class TargetFailureTest {

  private final TestCluster cluster = TestCluster.shared();

  @Test
  void aTargetThatIsDownFailsAloneAndQuickly() throws IOException {
    String path = "/data/fail/down";
    Path src = mixed(cluster.path("node0", path), 21, 1 << 20);
    cluster.addNode("gone1");
    String address = "127.0.0.1:" + cluster.config("gone1").dataPort();
    cluster.stop("gone1");

    long started = System.nanoTime();
    JsonObject task = cluster.sync("node0", new JsonObject().put("src", path).put("dst", path)
        .put("targets", new JsonArray(List.of("node1", "gone1", address, "node2"))));
    long seconds = (System.nanoTime() - started) / 1_000_000_000L;

    for (String down : List.of("gone1", address)) {
      JsonObject line = result(task, down);
      assertEquals("failed", line.getString("status"), line.encode());
      assertTrue(line.getString("message").contains("unknown target"), line.encode());
    }
    for (String up : List.of("node1", "node2")) {
      assertEquals("ok", result(task, up).getString("status"), task.encodePrettily());
      assertSameTree(src, cluster.path(up, path));
    }
    assertFalse(task.getBoolean("ok"));
    assertTrue(seconds < 30, "took " + seconds + " s");
    assertFalse(Files.exists(cluster.path("gone1", path)), "nothing was written for the stopped node");
  }

  /**
   * A chain node1 -> victim -> node2; the victim dies while its file is streaming. node1 completes,
   * the victim and the node it fed are reported failed, nobody keeps a temporary file, and a
   * re-run completes every live target.
   */
  @Test
  void aRelayKilledMidTransferFailsItsSubtreeCleanlyAndARerunCompletes() throws Exception {
    String path = "/data/fail/killed";
    Path src = cluster.path("node0", path);
    file(src, "small.txt", "small\n");
    file(src, "big/huge.bin", random(99, 256 << 20));
    cluster.addNode("victim");

    AtomicBoolean killed = new AtomicBoolean();
    CompletableFuture<Void> kill = new CompletableFuture<>();
    JsonObject request = new JsonObject().put("src", path).put("dst", path).put("fanout", 1)
        .put("targets", new JsonArray(List.of("node1", "victim", "node2")));
    var done = cluster.submit("node0", request, event -> {
      boolean streaming = "progress".equals(event.getString("type")) && "victim".equals(event.getString("target"))
          && event.getLong("bytes") > 0 && event.getLong("bytes") < event.getLong("totalBytes");
      if (streaming && killed.compareAndSet(false, true)) {
        // Not on the event loop that delivered this event: stopping a node blocks.
        CompletableFuture.runAsync(() -> cluster.stop("victim")).whenComplete((v, err) -> kill.complete(null));
      }
    });
    JsonObject task = await(done, 180);
    kill.get();

    assertTrue(killed.get(), "the victim was stopped mid-transfer");
    assertEquals("ok", result(task, "node1").getString("status"), task.encodePrettily());
    assertSameTree(src, cluster.path("node1", path));
    assertEquals("failed", result(task, "victim").getString("status"), task.encodePrettily());
    JsonObject downstream = result(task, "node2");
    assertEquals("failed", downstream.getString("status"), task.encodePrettily());
    assertTrue(downstream.getString("message") != null && !downstream.getString("message").isBlank());
    assertNoTemporaryFiles(cluster.path("node1", path));
    assertNoTemporaryFiles(cluster.path("node2", path));
    assertFalse(Files.exists(cluster.path("node2", path).resolve("big/huge.bin")), "no half file at its final name");

    JsonObject rerun = cluster.sync("node0", new JsonObject().put("src", path).put("dst", path).put("fanout", 1)
        .put("targets", new JsonArray(List.of("node1", "node2"))));
    assertEquals("unchanged", result(rerun, "node1").getString("status"), rerun.encodePrettily());
    assertEquals("ok", result(rerun, "node2").getString("status"), rerun.encodePrettily());
    assertSameTree(src, cluster.path("node2", path));
    assertNoTemporaryFiles(cluster.path("node2", path));
  }
}
