package io.gosync.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI's HTTP client against a stand-in daemon (the JDK's own HTTP server) that answers the
 * way HttpApiVerticle does: JSON bodies, {"error": ...} refusals, server-sent events, and 401 for a
 * request without the cluster's token. Over https, against a real node whose API listens beyond loopback.
 */
class ApiClientTest {

  private static final String TOKEN = "t".repeat(43);

  @TempDir
  static Path certs;

  private HttpServer daemon;
  private ApiClient client;

  @BeforeAll
  static void writeToken() throws IOException {
    Files.writeString(certs.resolve("token"), TOKEN + "\n");
  }

  @BeforeEach
  void start() throws IOException {
    daemon = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    daemon.start();
    client = new ApiClient("http", "127.0.0.1", daemon.getAddress().getPort(), ApiCredentials.load(certs.toString()));
  }

  @AfterEach
  void stop() {
    daemon.stop(0);
  }

  @Test
  void followPassesEveryEventOnAndReturnsTheDoneOne() throws Exception {
    events("t1", "event: status\ndata: {\"type\":\"status\",\"id\":\"t1\"}\n\n"
        + "event: progress\ndata: {\"type\":\"progress\",\"target\":\"n1\",\"bytes\":3}\n\n"
        + "event: done\ndata: {\"type\":\"done\",\"id\":\"t1\",\"ok\":true}\n\n");
    List<String> seen = new ArrayList<>();

    JsonObject done = client.follow("t1", event -> seen.add(event.getString("type")));

    assertEquals(List.of("status", "progress", "done"), seen);
    assertEquals(true, done.getBoolean("ok"));
  }

  @Test
  void followAsksForTheStateWhenTheStreamEndsBeforeDone() throws Exception {
    events("t2", "event: status\ndata: {\"type\":\"status\",\"id\":\"t2\"}\n\n");
    answer("/api/v1/tasks/t2", 200, "{\"id\":\"t2\",\"state\":\"done\",\"ok\":false}");

    JsonObject done = client.follow("t2", event -> { });

    assertEquals("done", done.getString("state"));
    assertEquals(false, done.getBoolean("ok"));
  }

  @Test
  void submitPostsTheTaskAsJson() throws Exception {
    daemon.createContext("/api/v1/tasks", exchange -> {
      JsonObject task = new JsonObject(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      reply(exchange, "POST".equals(exchange.getRequestMethod()) ? 202 : 405, new JsonObject().put("id", "for " + task.getString("src")).encode());
    });

    assertEquals("for /data/a", client.submit(new JsonObject().put("src", "/data/a")).getString("id"));
  }

  @Test
  void refusalCarriesTheDaemonsStatusAndErrorText() {
    answer("/api/v1/tasks/nope", 404, "{\"error\":\"no task nope on n0\"}");

    ApiClient.ApiException refused = assertThrows(ApiClient.ApiException.class, () -> client.status("nope"));

    assertEquals(404, refused.status);
    assertEquals("no task nope on n0", refused.getMessage());
  }

  @Test
  void refusalThatIsNotOurJsonShowsTheBody() {
    answer("/api/v1/nodes", 502, "Bad Gateway");

    ApiClient.ApiException refused = assertThrows(ApiClient.ApiException.class, () -> client.nodes());

    assertEquals(502, refused.status);
    assertEquals("Bad Gateway", refused.getMessage());
  }

  @Test
  void refusedConnectionSaysSo() {
    int port = daemon.getAddress().getPort();
    daemon.stop(0);

    ConnectException failure = assertThrows(ConnectException.class,
        () -> new ApiClient("http", "127.0.0.1", port, ApiCredentials.load(certs.toString())).nodes());

    assertEquals("java.net.ConnectException: Connection refused", failure.toString());
  }

  @Test
  void aRefusedTokenSaysItDoesNotMatchTheCluster(@TempDir Path other) throws IOException {
    Files.writeString(other.resolve("token"), "o".repeat(43) + "\n");
    answer("/api/v1/nodes", 200, "[]");

    ApiClient.ApiException refused = assertThrows(ApiClient.ApiException.class,
        () -> new ApiClient("http", "127.0.0.1", daemon.getAddress().getPort(), ApiCredentials.load(other.toString())).nodes());

    assertEquals(401, refused.status);
    assertTrue(refused.getMessage().contains(other.resolve("token") + ": it does not match this cluster's"), refused.getMessage());
  }

  @Test
  void noCertsDirectorySaysHowToNameOne() {
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> ApiCredentials.load(""));

    assertTrue(missing.getMessage().contains("--certs DIR") && missing.getMessage().contains("GOSYNC_CERTS"),
        missing.getMessage());
  }

  private void events(String id, String stream) {
    daemon.createContext("/api/v1/tasks/" + id + "/events", exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
      reply(exchange, 200, stream);
    });
  }

  private void answer(String path, int status, String body) {
    daemon.createContext(path, exchange -> reply(exchange, status, body));
  }

  /** Answers as the handler would, or 401 as TokenOrCertificate does when the token is not the cluster's. */
  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      send(exchange, 401, "{\"error\":\"this API wants the cluster's token\"}");
    } else {
      send(exchange, status, body);
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
