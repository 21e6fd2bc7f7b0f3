package io.gosync.control;

import io.gosync.testkit.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.gosync.testkit.TestCluster.await;
import static io.gosync.testkit.TestCluster.result;
import static io.gosync.testkit.Trees.assertSameTree;
import static io.gosync.testkit.Trees.file;
import static io.gosync.testkit.Trees.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tasks writing one destination on a node take turns; tasks on different destinations overlap. */
class DestinationQueueTest {

  private final TestCluster cluster = TestCluster.shared();
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());

  private Future<JsonObject> start(String name, String src, String dst) {
    JsonObject request = new JsonObject().put("src", src).put("dst", dst).put("targets", new JsonArray().add("node1"));
    return cluster.submit("node0", request, event -> {
      if ("target".equals(event.getString("type"))) {
        log.add(name + " " + event.getString("status"));
      }
    });
  }

  @Test
  void twoTasksOnOneDestinationNeverInterleave() throws IOException {
    Path first = cluster.path("node0", "/data/queue/first");
    file(first, "big.bin", random(5, 96 << 20));
    file(first, "shared.txt", "from the first task\n");
    Path second = cluster.path("node0", "/data/queue/second");
    file(second, "shared.txt", "from the second task\n");

    Future<JsonObject> a = start("A", "/data/queue/first", "/data/queue/dst");
    Future<JsonObject> b = start("B", "/data/queue/second", "/data/queue/dst");
    JsonObject doneA = await(a, 180);
    JsonObject doneB = await(b, 180);

    assertEquals("ok", result(doneA, "node1").getString("status"), doneA.encodePrettily());
    assertEquals("ok", result(doneB, "node1").getString("status"), doneB.encodePrettily());
    // Whichever task reached node1 first owns the destination until it is finished: the other
    // is only prepared (diffed against the destination) afterwards.
    String winner = log.indexOf("A prepared") < log.indexOf("B prepared") ? "A" : "B";
    String waiter = winner.equals("A") ? "B" : "A";
    assertTrue(log.indexOf(winner + " ok") >= 0 && log.indexOf(winner + " ok") < log.indexOf(waiter + " prepared"),
        log.toString());
    Path dst = cluster.path("node1", "/data/queue/dst");
    String last = waiter.equals("B") ? "from the second task\n" : "from the first task\n";
    assertEquals(last, Files.readString(dst.resolve("shared.txt")));
    assertEquals(Files.size(first.resolve("big.bin")), Files.size(dst.resolve("big.bin")));
  }

  @Test
  void tasksOnDifferentDestinationsRunAtOnce() throws IOException {
    Path big = cluster.path("node0", "/data/queue/big");
    file(big, "big.bin", random(6, 160 << 20));
    Path small = cluster.path("node0", "/data/queue/small");
    file(small, "small.txt", "small\n");

    Future<JsonObject> slow = start("slow", "/data/queue/big", "/data/queue/big-dst");
    Future<JsonObject> quick = start("quick", "/data/queue/small", "/data/queue/small-dst");
    await(quick, 180);
    await(slow, 180);

    assertTrue(log.indexOf("quick ok") < log.indexOf("slow ok"), "the small task waited for the big one: " + log);
    assertSameTree(big, cluster.path("node1", "/data/queue/big-dst"));
    assertSameTree(small, cluster.path("node1", "/data/queue/small-dst"));
  }
}
