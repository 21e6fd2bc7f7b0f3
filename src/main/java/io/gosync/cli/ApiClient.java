package io.gosync.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.function.Consumer;
import javax.net.ssl.HttpsURLConnection;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The CLI's view of a daemon's HTTP API. A CLI call is a request or two, so start-up is what
 * counts: Vert.x (Netty, event loops) cost ~0.8 s of it, and even the JDK's java.net.http
 * client ~0.5 s (its default TLS context loads the trust store; then its asynchronous
 * machinery). HttpURLConnection's plain blocking socket costs well under 0.1 s. Every request carries
 * the cluster's token; over https the daemon must prove a certificate of the cluster CA.
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

  private static final int CONNECT_TIMEOUT_MILLIS = 5000;
  /** A daemon answers every plain request at once; one that accepts and says nothing (a stuck JVM) must not hang the CLI. */
  private static final int ANSWER_TIMEOUT_MILLIS = 60_000;
  /** While the event stream is broken, how often we ask for the task's state instead. */
  private static final long POLL_MILLIS = 1000;

  private final String scheme;
  private final String host;
  private final int port;
  private final ApiCredentials credentials;

  /** @param scheme "http", or "https" for a daemon whose API listens beyond loopback */
  ApiClient(String scheme, String host, int port, ApiCredentials credentials) {
    this.scheme = scheme;
    this.host = host;
    this.port = port;
    this.credentials = credentials;
  }

  JsonObject submit(JsonObject task) throws IOException {
    HttpURLConnection http = open("/api/v1/tasks");
    http.setRequestMethod("POST");
    http.setRequestProperty("Content-Type", "application/json");
    http.setDoOutput(true);
    try (OutputStream out = http.getOutputStream()) {
      out.write(task.encode().getBytes(UTF_8));
    }
    return new JsonObject(body(http));
  }

  JsonObject status(String id) throws IOException {
    return new JsonObject(body(open("/api/v1/tasks/" + id)));
  }

  JsonArray nodes() throws IOException {
    return new JsonArray(body(open("/api/v1/nodes")));
  }

  /**
   * Follows a task's event stream until it is done, passing every event on.
   *
   * @return the finished task
   */
  JsonObject follow(String id, Consumer<JsonObject> onEvent) throws IOException, InterruptedException {
    JsonObject done;
    try {
      done = readEvents(id, onEvent);
    } catch (IOException e) {
      done = null; // the stream broke: the state, asked for below, says how the task went
    }
    return done != null ? done : waitForDone(id);
  }

  /** The "done" event, or null when the stream ended or was refused before it came. */
  private JsonObject readEvents(String id, Consumer<JsonObject> onEvent) throws IOException {
    HttpURLConnection http = open("/api/v1/tasks/" + id + "/events");
    http.setReadTimeout(0); // a task may go quiet for long (a big scan); a dead daemon closes the stream
    if (http.getResponseCode() != 200) {
      return null; // the status request that follows says why, as an ApiException
    }
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(http.getInputStream(), UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        JsonObject event = event(line);
        if (event != null) {
          onEvent.accept(event);
          if ("done".equals(event.getString("type"))) {
            return event;
          }
        }
      }
      return null;
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

  private HttpURLConnection open(String path) throws IOException {
    // No proxy: a daemon is on this host or its cluster's network, never behind a web proxy.
    HttpURLConnection http = (HttpURLConnection) url(path).openConnection(Proxy.NO_PROXY);
    if (http instanceof HttpsURLConnection https) {
      https.setSSLSocketFactory(credentials.tls());
      // The cluster CA is the only trust anchor; see ApiCredentials.tls for why host names are not checked.
      https.setHostnameVerifier((name, session) -> true);
    }
    http.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
    http.setReadTimeout(ANSWER_TIMEOUT_MILLIS);
    http.setRequestProperty("Authorization", credentials.authorization());
    return http;
  }

  private URL url(String path) throws MalformedURLException {
    try {
      // The URI constructor puts brackets round an IPv6 host; string concatenation would not.
      return new URI(scheme, null, host, port, path, null, null).toURL();
    } catch (URISyntaxException e) {
      throw new MalformedURLException(e.getMessage());
    }
  }

  /** The body of a 2xx answer; any other answer becomes an ApiException. */
  private String body(HttpURLConnection http) throws IOException {
    int status = http.getResponseCode();
    if (status == 401) {
      throw new ApiException(status, credentials.refusal());
    }
    if (status / 100 != 2) {
      throw new ApiException(status, errorText(status, http.getErrorStream()));
    }
    try (InputStream in = http.getInputStream()) {
      return new String(in.readAllBytes(), UTF_8);
    }
  }

  /** The daemon's {"error": ...} text, or what was sent instead (a proxy's page, say). */
  private static String errorText(int status, InputStream errorBody) throws IOException {
    if (errorBody == null) {
      return "HTTP " + status;
    }
    String body;
    try (errorBody) {
      body = new String(errorBody.readAllBytes(), UTF_8);
    }
    try {
      String error = new JsonObject(body).getString("error");
      if (error != null) {
        return error;
      }
    } catch (RuntimeException e) {
      // not our JSON error: show the body itself
    }
    return body.isBlank() ? "HTTP " + status : body;
  }
}
