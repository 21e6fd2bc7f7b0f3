package io.gosync.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The CLI's HTTP client against a stand-in daemon (the JDK's own HTTP server) that answers the
 * way HttpApiVerticle does: JSON bodies, {"error": ...} refusals, and server-sent events.
 */
class ApiClientTest {

  private HttpServer daemon;
  private ApiClient client;

  @BeforeEach
  void start() throws IOException {
    daemon = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    daemon.start();
    client = new ApiClient("127.0.0.1", daemon.getAddress().getPort());
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

    ConnectException failure = assertThrows(ConnectException.class, () -> new ApiClient("127.0.0.1", port).nodes());

    assertEquals("java.net.ConnectException: Connection refused", failure.toString());
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

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
