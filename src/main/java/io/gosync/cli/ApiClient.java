package io.gosync.cli;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.function.Consumer;

/** The CLI's view of a daemon's HTTP API. */
final class ApiClient {

  /** A refusal by the daemon: 4xx means the request was bad (a usage error for the CLI). */
  static final class ApiException extends RuntimeException {
    final int status;

    ApiException(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private final Vertx vertx;
  private final WebClient web;
  private final HttpClient http;
  private final String host;
  private final int port;

  ApiClient(Vertx vertx, String host, int port) {
    this.vertx = vertx;
    this.host = host;
    this.port = port;
    this.web = WebClient.create(vertx, new WebClientOptions().setDefaultHost(host).setDefaultPort(port).setConnectTimeout(5000));
    this.http = vertx.createHttpClient();
  }

  Future<JsonObject> submit(JsonObject task) {
    return web.post("/api/v1/tasks").sendJsonObject(task).compose(this::jsonObject);
  }

  Future<JsonObject> status(String id) {
    return web.get("/api/v1/tasks/" + id).send().compose(this::jsonObject);
  }

  Future<JsonArray> nodes() {
    return web.get("/api/v1/nodes").send().compose(response -> checked(response).map(HttpResponse::bodyAsJsonArray));
  }

  /**
   * Follows a task's event stream until it is done, passing every event on.
   *
   * @return the finished task
   */
  Future<JsonObject> follow(String id, Consumer<JsonObject> onEvent) {
    Promise<JsonObject> done = Promise.promise();
    http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port)
            .setURI("/api/v1/tasks/" + id + "/events"))
        .compose(request -> request.send())
        .onSuccess(response -> read(response, onEvent, done))
        .onFailure(done::tryFail);
    return done.future().recover(err -> waitForDone(id));
  }

  private void read(HttpClientResponse response, Consumer<JsonObject> onEvent, Promise<JsonObject> done) {
    if (response.statusCode() != 200) {
      response.body().onComplete(body -> done.tryFail(new ApiException(response.statusCode(),
          body.succeeded() ? errorText(body.result()) : "HTTP " + response.statusCode())));
      return;
    }
    RecordParser lines = RecordParser.newDelimited("\n", response);
    lines.handler(line -> {
      String text = line.toString().trim();
      if (text.startsWith("data:")) {
        JsonObject event = new JsonObject(text.substring(5).trim());
        onEvent.accept(event);
        if ("done".equals(event.getString("type"))) {
          done.tryComplete(event);
        }
      }
    });
    lines.endHandler(v -> done.tryFail("the event stream ended early"));
    lines.exceptionHandler(done::tryFail);
  }

  /** When the event stream breaks, fall back to asking for the state once a second. */
  private Future<JsonObject> waitForDone(String id) {
    return status(id).compose(task -> "done".equals(task.getString("state"))
        ? Future.succeededFuture(task)
        : Future.<Void>future(p -> vertx.setTimer(1000, t -> p.complete())).compose(v -> waitForDone(id)));
  }

  private Future<JsonObject> jsonObject(HttpResponse<Buffer> response) {
    return checked(response).map(HttpResponse::bodyAsJsonObject);
  }

  private static Future<HttpResponse<Buffer>> checked(HttpResponse<Buffer> response) {
    if (response.statusCode() / 100 == 2) {
      return Future.succeededFuture(response);
    }
    return Future.failedFuture(new ApiException(response.statusCode(), errorText(response.body())));
  }

  private static String errorText(Buffer body) {
    try {
      return body.toJsonObject().getString("error");
    } catch (RuntimeException e) {
      return body == null ? "no answer" : body.toString();
    }
  }
}
