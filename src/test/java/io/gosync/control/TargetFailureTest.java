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
import java.util.concurrent.CopyOnWriteArrayList;
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
   * A chain node1 -> victim -> node2; the victim dies while its file is streaming. node1 takes node2 over
   * mid-stream from where it stood: the victim alone is reported failed, node1 and node2 end ok and whole,
   * node2's result names node1 as its feeder, the task's events say so, and nobody keeps a temporary file.
   * Before relinks, node2 failed with the victim.
   */
  @Test
  void aRelayKilledMidTransferCostsOnlyItselfItsChildIsTakenOverMidStream() throws Exception {
    String path = "/data/fail/killed";
    Path src = cluster.path("node0", path);
    file(src, "small.txt", "small\n");
    file(src, "big/huge.bin", random(99, 256 << 20));
    cluster.addNode("victim");

    AtomicBoolean killed = new AtomicBoolean();
    CompletableFuture<Void> kill = new CompletableFuture<>();
    List<JsonObject> relinks = new CopyOnWriteArrayList<>();
    JsonObject request = new JsonObject().put("src", path).put("dst", path).put("fanout", 1)
        .put("targets", new JsonArray(List.of("node1", "victim", "node2")));
    var done = cluster.submit("node0", request, event -> {
      if ("relinked".equals(event.getString("type"))) {
        relinks.add(event);
      }
      boolean streaming = "progress".equals(event.getString("type")) && "node2".equals(event.getString("target"))
          && event.getLong("bytes") > 0 && event.getLong("bytes") < event.getLong("totalBytes") / 2;
      if (streaming && killed.compareAndSet(false, true)) {
        // Not on the event loop that delivered this event: stopping a node blocks.
        CompletableFuture.runAsync(() -> cluster.stop("victim")).whenComplete((v, err) -> kill.complete(null));
      }
    });
    JsonObject task = await(done, 180);
    kill.get();

    assertTrue(killed.get(), "the victim was stopped mid-transfer");
    assertEquals("failed", result(task, "victim").getString("status"), task.encodePrettily());
    for (String live : List.of("node1", "node2")) {
      assertEquals("ok", result(task, live).getString("status"), task.encodePrettily());
      assertSameTree(src, cluster.path(live, path));
      assertNoTemporaryFiles(cluster.path(live, path));
    }
    assertEquals("node1", result(task, "node2").getString("via"), task.encodePrettily());
    assertEquals(List.of("node2 <- node1"), relinks.stream()
        .map(event -> event.getString("target") + " <- " + event.getString("parent")).toList());
  }

  /**
   * The source's only child dies: the source takes its child over. Before the tee held the stream while a node
   * was taken over, the source found its tee empty, stopped early, and node1 failed with the victim.
   */
  @Test
  void theSourcesOnlyChildKilledMidTransferCostsOnlyItself() throws Exception {
    String path = "/data/fail/first-killed";
    Path src = cluster.path("node0", path);
    file(src, "a/big.bin", random(98, 64 << 20));
    for (int i = 0; i < 3000; i++) {
      file(src, "b/f" + i, random(i, 4096)); // the source checks its tee between files: killed among these
    }
    cluster.addNode("victim");

    AtomicBoolean killed = new AtomicBoolean();
    CompletableFuture<Void> kill = new CompletableFuture<>();
    JsonObject request = new JsonObject().put("src", path).put("dst", path).put("fanout", 1)
        .put("targets", new JsonArray(List.of("victim", "node1")));
    var done = cluster.submit("node0", request, event -> {
      boolean smallFiles = "progress".equals(event.getString("type")) && "node1".equals(event.getString("target"))
          && event.getLong("bytes") > (65L << 20) && event.getLong("bytes") < event.getLong("totalBytes") - (4L << 20);
      if (smallFiles && killed.compareAndSet(false, true)) {
        CompletableFuture.runAsync(() -> cluster.stop("victim")).whenComplete((v, err) -> kill.complete(null));
      }
    });
    JsonObject task = await(done, 180);

    assertTrue(killed.get(), "the victim was stopped mid-transfer: " + task.encodePrettily());
    kill.get();
    assertEquals("failed", result(task, "victim").getString("status"), task.encodePrettily());
    assertEquals("ok", result(task, "node1").getString("status"), task.encodePrettily());
    assertEquals("node0", result(task, "node1").getString("via"), task.encodePrettily());
    assertSameTree(src, cluster.path("node1", path));
    assertNoTemporaryFiles(cluster.path("node1", path));
  }

  /**
   * Two adjacent relays die: node1 finds the first gone, cannot reach the second either, reports both failed
   * and takes node2 over from where it stood. Before relinks, node2 failed with them.
   */
  @Test
  void twoAdjacentRelaysKilledMidTransferCostOnlyThemselves() throws Exception {
    String path = "/data/fail/killed-two";
    Path src = cluster.path("node0", path);
    file(src, "big/huge.bin", random(98, 256 << 20));
    cluster.addNode("victim1");
    cluster.addNode("victim2");

    AtomicBoolean killed = new AtomicBoolean();
    CompletableFuture<Void> kill = new CompletableFuture<>();
    JsonObject request = new JsonObject().put("src", path).put("dst", path).put("fanout", 1)
        .put("targets", new JsonArray(List.of("node1", "victim1", "victim2", "node2")));
    var done = cluster.submit("node0", request, event -> {
      boolean streaming = "progress".equals(event.getString("type")) && "node2".equals(event.getString("target"))
          && event.getLong("bytes") > 0 && event.getLong("bytes") < event.getLong("totalBytes") / 2;
      if (streaming && killed.compareAndSet(false, true)) {
        CompletableFuture.runAsync(() -> {
          cluster.stop("victim2");
          cluster.stop("victim1");
        }).whenComplete((v, err) -> kill.complete(null));
      }
    });
    JsonObject task = await(done, 180);
    kill.get();

    assertTrue(killed.get(), "the victims were stopped mid-transfer");
    for (String victim : List.of("victim1", "victim2")) {
      assertEquals("failed", result(task, victim).getString("status"), task.encodePrettily());
    }
    for (String live : List.of("node1", "node2")) {
      assertEquals("ok", result(task, live).getString("status"), task.encodePrettily());
      assertSameTree(src, cluster.path(live, path));
      assertNoTemporaryFiles(cluster.path(live, path));
    }
    assertEquals("node1", result(task, "node2").getString("via"), task.encodePrettily());
  }
}
