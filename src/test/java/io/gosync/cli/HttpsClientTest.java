package io.gosync.cli;

import io.gosync.testkit.TestCluster;
import io.gosync.trust.ClusterAuthority;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI against a real node whose API listens beyond loopback, and so speaks HTTPS only. */
class HttpsClientTest {

  private static final String NODE = "cli-https";

  private static TestCluster cluster;
  private static Path certs;
  private static int port;

  @TempDir
  static Path elsewhere;

  @BeforeAll
  static void start() {
    cluster = TestCluster.shared();
    cluster.addNode(NODE, new JsonObject().put("httpBind", "0.0.0.0"));
    port = cluster.config(NODE).httpPort();
    certs = cluster.issue("cli-https-client");
  }

  @AfterAll
  static void stop() {
    cluster.stop(NODE);
  }

  @Test
  void overHttpsTheClientTrustsTheClusterCaAndSendsTheToken() throws Exception {
    JsonArray nodes = new ApiClient("https", "127.0.0.1", port, ApiCredentials.load(certs.toString())).nodes();

    assertTrue(nodes.stream().anyMatch(node -> NODE.equals(((JsonObject) node).getString("name"))), nodes.encode());
  }

  @Test
  void aDaemonOfAnotherCaIsNotBelieved() {
    Path foreign = ClusterAuthority.init(elsewhere.resolve("other-ca")).issue("someone", List.of("127.0.0.1"), true);
    ApiClient client = new ApiClient("https", "127.0.0.1", port, ApiCredentials.load(foreign.toString()));

    assertThrows(SSLHandshakeException.class, client::nodes);
  }

  @Test
  void theCommandLineTakesAnHttpsUrlAndCerts() {
    Output run = gosync("nodes", "--via", "https://127.0.0.1:" + port, "--certs", certs.toString(), "--json");

    assertEquals(Report.OK, run.code(), run.err());
    assertTrue(run.out().contains("\"" + NODE + "\""), run.out());
  }

  @Test
  void plainHttpToAnHttpsDaemonSaysToUseHttps() {
    Output run = gosync("nodes", "--via", "127.0.0.1:" + port, "--certs", certs.toString());

    assertEquals(Report.FAILED, run.code(), run.err());
    assertTrue(run.err().contains("--via https://HOST:PORT"), run.err());
  }

  @Test
  void withoutCertsTheCommandSaysHowToNameThem() {
    Output run = gosync("nodes", "--via", "https://127.0.0.1:" + port);

    assertEquals(Report.USAGE, run.code(), run.err());
    assertTrue(run.err().contains("no certs directory") && run.err().contains("--certs DIR"), run.err());
  }

  private record Output(int code, String out, String err) {
  }

  /** Main.run in this JVM, its stdout and stderr captured. GOSYNC_CERTS must not be set where the tests run. */
  private static Output gosync(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    try (PrintStream o = new PrintStream(stdout, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(stderr, true, StandardCharsets.UTF_8)) {
      System.setOut(o);
      System.setErr(e);
      int code = Main.run(args);
      return new Output(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
