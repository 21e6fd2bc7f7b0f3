package io.gosync.api;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.gosync.testkit.TestCluster;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * /health tells whether the node is in the cluster, not only whether its HTTP server answers: a node whose
 * Hazelcast member is gone (as one that ran out of heap lost it, issue 10) says DOWN, with the reason.
 */
class HealthTest {

  @TempDir
  Path tmp;

  private TestCluster cluster;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aNodeWhoseHazelcastMemberIsGoneSaysDownWithTheReason() throws Exception {
    cluster = TestCluster.start(tmp, 1);
    JsonObject up = health("node0", 200);
    assertEquals("UP", up.getString("status"), up.encode());

    member("node0").getLifecycleService().terminate();

    JsonObject down = health("node0", 503);
    assertEquals("DOWN", down.getString("status"), down.encode());
    assertEquals("not in the cluster: its Hazelcast member is not running", down.getString("reason"), down.encode());
    assertEquals("node0", down.getString("node"), down.encode());
  }

  /** The node's own Hazelcast member, found by its port among those of this JVM. */
  private HazelcastInstance member(String name) {
    int port = cluster.config(name).clusterPort();
    return Hazelcast.getAllHazelcastInstances().stream()
        .filter(instance -> instance.getCluster().getLocalMember().getAddress().getPort() == port)
        .findFirst().orElseThrow(() -> new AssertionError("no Hazelcast member on port " + port));
  }

  private JsonObject health(String name, int code) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.config(name).httpPort() + "/health"))
        .timeout(Duration.ofSeconds(10)).GET().build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(code, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }
}
