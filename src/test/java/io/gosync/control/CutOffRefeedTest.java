package io.gosync.control;

import io.gosync.testkit.CertifiedListener;
import io.gosync.testkit.FakeTarget;
import io.gosync.testkit.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.gosync.testkit.TestCluster.await;
import static io.gosync.testkit.TestCluster.result;
import static io.gosync.testkit.Trees.assertNoTemporaryFiles;
import static io.gosync.testkit.Trees.assertSameTree;
import static io.gosync.testkit.Trees.file;
import static io.gosync.testkit.Trees.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node cut off below a dead relay, too far behind for the replay window of the node that would take it over,
 * is fed again by the source once the others are done: it ends ok, fed by the source, sent only what it lacks.
 */
class CutOffRefeedTest {

  /** Twice narrow's 1 MiB window: node2, which holds no byte, is behind what narrow keeps. */
  private static final long WELL_PAST_THE_WINDOW = 2 << 20;

  private final TestCluster cluster = TestCluster.shared();

  /**
   * A chain narrow → hollow → node2. hollow, a certified node gone bad, reads the stream and forwards nothing,
   * then dies, when narrow has sent it far more than its 1 MiB window. narrow takes node2 over, but node2 holds
   * no byte of the stream and narrow keeps none that old: node2's stream is cut off. Before, narrow reported
   * node2 failed ("taken over by narrow mid-stream, but it had 0 bytes of the stream and narrow keeps bytes …").
   */
  @Test
  void aChildTooFarBehindForTheWindowIsFedAgainByTheSource() throws Exception {
    String path = "/data/cutoff/behind";
    Path src = cluster.path("node0", path);
    file(src, "small.txt", "small\n");
    file(src, "big/huge.bin", random(97, 128 << 20));
    cluster.addNode("narrow", new JsonObject().put("replayWindowMib", 1));
    Vertx vertx = Vertx.vertx();
    CompletableFuture<NetSocket> fed = new CompletableFuture<>();
    CertifiedListener hollow = CertifiedListener.start(vertx, cluster.identity("hollow"), fed::complete);
    FakeTarget fake = FakeTarget.start(cluster, "hollow", "127.0.0.1", hollow.port());
    try {
      List<JsonObject> node2Lines = new CopyOnWriteArrayList<>();
      JsonObject request = new JsonObject().put("src", path).put("dst", path).put("fanout", 1)
          .put("targets", new JsonArray(List.of("narrow", "hollow", "node2")));
      var done = cluster.submit("node0", request, event -> {
        if ("target".equals(event.getString("type")) && "node2".equals(event.getString("target"))) {
          node2Lines.add(event);
        }
      });
      NetSocket stream = fed.get(60, TimeUnit.SECONDS);
      for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
           hollow.bytes() <= WELL_PAST_THE_WINDOW && System.nanoTime() < deadline; ) {
        Thread.sleep(10);
      }
      assertTrue(hollow.bytes() > WELL_PAST_THE_WINDOW, "hollow took only " + hollow.bytes() + " bytes");
      await(stream.close(), 10);
      fake.close(); // it leaves the cluster too: the source fails it
      JsonObject task = await(done, 180);

      assertEquals("failed", result(task, "hollow").getString("status"), task.encodePrettily());
      for (String live : List.of("narrow", "node2")) {
        assertEquals("ok", result(task, live).getString("status"), task.encodePrettily());
        assertSameTree(src, cluster.path(live, path));
        assertNoTemporaryFiles(cluster.path(live, path));
      }
      assertEquals("node0", result(task, "node2").getString("via"), "fed again by the source: " + task.encodePrettily());
      assertTrue(node2Lines.stream().anyMatch(line -> "pending".equals(line.getString("status"))),
          "node2 waited to be fed again: " + node2Lines);
    } finally {
      hollow.close();
      await(vertx.close(), 10);
    }
  }
}
