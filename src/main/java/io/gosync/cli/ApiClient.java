package io.gosync.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The CLI's view of a daemon's HTTP API, on the JDK's HTTP client: a CLI call is a request or
 * two, and starting a whole Vert.x (Netty, event loops) for that would cost more than the work.
 */
final class ApiClient {

  /** A refusal by the daemon: 4xx means the request was bad (a usage error for the CLI). */
  static final class ApiException extends RuntimeException {
    final int status;

    ApiException(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** While the event stream is broken, how often we ask for the task's state instead. */
  private static final long POLL_MILLIS = 1000;

  // HTTP/1.1: the JDK client would otherwise offer an h2c upgrade on every request.
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
  private final String host;
  private final int port;

  ApiClient(String host, int port) {
    this.host = host;
    this.port = port;
  }

  JsonObject submit(JsonObject task) throws IOException, InterruptedException {
    HttpRequest request = request("/api/v1/tasks").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(task.encode())).build();
    return new JsonObject(checked(http.send(request, BodyHandlers.ofString())).body());
  }

  JsonObject status(String id) throws IOException, InterruptedException {
    return new JsonObject(get("/api/v1/tasks/" + id));
  }

  JsonArray nodes() throws IOException, InterruptedException {
    return new JsonArray(get("/api/v1/nodes"));
  }

  /**
   * Follows a task's event stream until it is done, passing every event on.
   *
   * @return the finished task
   */
  JsonObject follow(String id, Consumer<JsonObject> onEvent) throws IOException, InterruptedException {
    Optional<JsonObject> done;
    try {
      done = readEvents(id, onEvent);
    } catch (IOException e) {
      done = Optional.empty();
    }
    return done.isPresent() ? done.get() : waitForDone(id);
  }

  /** The "done" event, or empty when the stream ended or was refused before it came. */
  private Optional<JsonObject> readEvents(String id, Consumer<JsonObject> onEvent) throws IOException, InterruptedException {
    HttpResponse<Stream<String>> response = http.send(request("/api/v1/tasks/" + id + "/events").GET().build(),
        BodyHandlers.ofLines());
    try (Stream<String> lines = response.body()) {
      if (response.statusCode() != 200) {
        return Optional.empty(); // the status request that follows says why, as an ApiException
      }
      Iterator<String> each = lines.iterator();
      while (each.hasNext()) {
        JsonObject event = event(each.next());
        if (event != null) {
          onEvent.accept(event);
          if ("done".equals(event.getString("type"))) {
            return Optional.of(event);
          }
        }
      }
      return Optional.empty();
    } catch (UncheckedIOException e) {
      throw e.getCause(); // the line stream wraps a broken connection
    }
  }

  /** One server-sent event line: its JSON when it is a "data:" line, else null ("event:", blanks). */
  private static JsonObject event(String line) {
    String text = line.trim();
    return text.startsWith("data:") ? new JsonObject(text.substring(5).trim()) : null;
  }

  /** When the event stream breaks, fall back to asking for the state once a second. */
  private JsonObject waitForDone(String id) throws IOException, InterruptedException {
    JsonObject task = status(id);
    while (!"done".equals(task.getString("state"))) {
      Thread.sleep(POLL_MILLIS);
      task = status(id);
    }
    return task;
  }

  private String get(String path) throws IOException, InterruptedException {
    return checked(http.send(request(path).GET().build(), BodyHandlers.ofString())).body();
  }

  private HttpRequest.Builder request(String path) {
    try {
      // The URI constructor puts brackets round an IPv6 host; string concatenation would not.
      return HttpRequest.newBuilder(new URI("http", null, host, port, path, null, null));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot address the daemon at " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  private static HttpResponse<String> checked(HttpResponse<String> response) {
    if (response.statusCode() / 100 == 2) {
      return response;
    }
    throw new ApiException(response.statusCode(), errorText(response));
  }

  /** The daemon's {"error": ...} text, or what it sent instead. */
  private static String errorText(HttpResponse<String> response) {
    String body = response.body();
    try {
      String error = new JsonObject(body).getString("error");
      if (error != null) {
        return error;
      }
    } catch (RuntimeException e) {
      // not our JSON error, e.g. a proxy's page: show the body itself
    }
    return body == null || body.isBlank() ? "HTTP " + response.statusCode() : body;
  }

  /**
   * Why a call failed, in words. The JDK client's failures to connect often carry no message,
   * so we name what they mean: a refused connection is a bare ConnectException over a bare
   * ClosedChannelException, an unknown host a bare UnresolvedAddressException.
   */
  static String describe(Exception failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null) {
        return cause.toString();
      }
      if (cause instanceof UnresolvedAddressException) {
        return "java.net.UnknownHostException: cannot resolve the host";
      }
    }
    return failure instanceof ConnectException ? "java.net.ConnectException: Connection refused" : failure.toString();
  }
}
