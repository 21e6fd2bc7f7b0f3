package io.gosync.relay;

import io.gosync.config.Transport;
import io.gosync.protocol.Constants;
import io.gosync.relay.wire.StreamHeader;
import io.gosync.relay.wire.TreeNode;
import io.gosync.testkit.CertifiedListener;
import io.gosync.testkit.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static io.gosync.protocol.Constants.taskAddress;
import static io.gosync.testkit.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an adopter makes of a node that answers its relink header wrongly: more than the 8 bytes of an offset, a
 * close, or nothing within the timeout. The node is reported failed with the reason, its connection closed, and
 * nothing is fed to it; a right answer gives its offset.
 */
class RelinkAnswerTest {

  private static final long REPLY_TIMEOUT_MS = 500;
  private static final long COLD_HANDSHAKE_S = 20;

  private final TestCluster cluster = TestCluster.shared();
  private final String taskId = "relink-" + UUID.randomUUID();

  @Test
  void moreThanAnOffsetIsRefused() throws InterruptedException {
    assertFailed(socket -> socket.write(Buffer.buffer(new byte[StreamHeader.RELINK_REPLY_BYTES + 1])),
        "it answered the relink with 9 bytes");
  }

  @Test
  void aCloseBeforeTheAnswerIsRefused() throws InterruptedException {
    assertFailed(NetSocket::close, "it closed the connection before it answered the relink");
  }

  @Test
  void silenceIsRefusedAtTheTimeout() throws InterruptedException {
    assertFailed(socket -> { }, "no answer to the relink in " + REPLY_TIMEOUT_MS + " ms");
  }

  @Test
  void anOffsetInEightBytesIsTaken() throws InterruptedException {
    List<JsonObject> reports = new CopyOnWriteArrayList<>();
    List<ChildLinks.Adopted> adopted = adopt(socket -> socket.write(Buffer.buffer().appendLong(123_456)), reports);

    assertEquals(List.of(), reports);
    assertEquals(1, adopted.size());
    assertEquals(123_456, adopted.get(0).offset());
    adopted.get(0).socket().close();
  }

  private void assertFailed(Consumer<NetSocket> answer, String reason) throws InterruptedException {
    List<JsonObject> reports = new CopyOnWriteArrayList<>();
    List<ChildLinks.Adopted> adopted = adopt(answer, reports);

    assertEquals(List.of(), adopted, "a node that answered wrongly was taken over");
    assertEquals(1, reports.size(), reports.toString());
    assertEquals("orphan", reports.get(0).getString("target"));
    assertEquals("failed", reports.get(0).getString("status"));
    assertTrue(reports.get(0).getString("message").endsWith(reason), reports.get(0).encode());
  }

  /** Takes over a certified node "orphan" (no children) that answers the relink header as told. */
  private List<ChildLinks.Adopted> adopt(Consumer<NetSocket> answer, List<JsonObject> reports)
      throws InterruptedException {
    Vertx vertx = cluster.node("node0").vertx();
    MessageConsumer<JsonObject> control = vertx.eventBus().localConsumer(taskAddress(taskId, Constants.CONTROL),
        message -> reports.add(message.body()));
    await(control.completion(), 10);
    // Held, and closed after, as the relay verticle holds its client: Vert.x 5 shuts down a NetClient nobody
    // references (a Cleaner), and one shut down mid-handshake fails it ("Failed to create SSL connection").
    // The test cluster's 2 s handshake limit is not what this test is about, and a cold JVM's first TLS handshake
    // can take longer: this class failed with "Failed to create SSL connection" 2 of 8 times when it ran first.
    NetClient client = vertx.createNetClient(Transport.dataClient(cluster.config("node0"), cluster.identity("node0"))
        .setSslHandshakeTimeout(COLD_HANDSHAKE_S).setSslHandshakeTimeoutUnit(TimeUnit.SECONDS));
    try (CertifiedListener orphan = CertifiedListener.start(vertx, cluster.identity("orphan"), answer)) {
      ChildLinks links = new ChildLinks(vertx, client, vertx.eventBus(), "node0", new StallLadder(30_000),
          REPLY_TIMEOUT_MS);
      TreeNode node = new TreeNode("orphan", "127.0.0.1", orphan.port(), List.of());
      StreamHeader header = new StreamHeader(taskId, null, new TreeNode("node0", "127.0.0.1", 1, List.of(node)), 1);
      List<ChildLinks.Adopted> adopted = await(links.adopt(header, node), 10);
      waitForReports(reports, adopted.isEmpty() ? 1 : 0);
      return adopted;
    } finally {
      await(control.unregister(), 10);
      await(client.close(), 10);
    }
  }

  /** The report goes over the event bus; it comes soon after the adoption is over. */
  private static void waitForReports(List<JsonObject> reports, int count) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (reports.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }
}
