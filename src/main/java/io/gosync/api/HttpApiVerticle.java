package io.gosync.api;

import io.gosync.config.NodeConfig;
import io.gosync.config.Transport;
import io.gosync.protocol.Constants;
import io.gosync.protocol.ReplyCode;
import io.gosync.protocol.StatusRequest;
import io.gosync.protocol.SubmitReply;
import io.gosync.protocol.TaskEvent;
import io.gosync.protocol.TaskReport;
import io.gosync.trust.NodeIdentity;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

import static io.gosync.protocol.Constants.nodeAddress;
import static io.gosync.protocol.Constants.taskAddress;

/**
 * The HTTP face of a daemon (Vert.x Web): submit a task, read its state, follow its progress as
 * server-sent events, list nodes, check health. It holds no task state of its own: every call
 * is one event bus request to this node's other verticles. Everything but {@code /health} wants the cluster's
 * token or certificate ({@link TokenOrCertificate}). See verticles-docs/http-api.md.
 */
public final class HttpApiVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(HttpApiVerticle.class);
  static final long BODY_LIMIT = 1 << 20;
  /** A registry that cannot say within this whether the node is in the cluster counts as not. */
  static final long HEALTH_WITHIN_MS = 5_000;

  private final NodeConfig config;
  private final NodeIdentity identity;
  private EventBus bus;

  public HttpApiVerticle(NodeConfig config, NodeIdentity identity) {
    this.config = config;
    this.identity = identity;
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    Router router = Router.router(vertx);
    // Routes match in the order they were added: /health alone comes before the check, every other one after it.
    router.get("/health").handler(this::health);
    router.route().handler(new TokenOrCertificate(identity.token()));
    router.post("/api/v1/tasks").handler(BodyHandler.create().setBodyLimit(BODY_LIMIT)).handler(this::submit);
    router.get("/api/v1/tasks/:id").handler(this::status);
    router.get("/api/v1/tasks/:id/events").handler(this::events);
    router.get("/api/v1/nodes").handler(this::nodes);
    return vertx.createHttpServer(Transport.httpServer(config, identity)).requestHandler(router).listen()
        .recover(err -> Future.failedFuture(new IllegalStateException(
            "cannot listen on HTTP port " + config.httpBind() + ":" + config.httpPort() + ": " + err.getMessage())));
  }

  private void submit(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      error(ctx, 400, "the body must be a JSON object: " + e.getMessage());
      return;
    }
    if (body == null) {
      error(ctx, 400, "the body must be a JSON object with src, dst and targets");
      return;
    }
    // The body goes on as the client wrote it: the task control verticle is the one place that checks it.
    bus.<JsonObject>request(nodeAddress(config.name(), Constants.SUBMIT), body)
        .map(reply -> SubmitReply.fromJson(reply.body()))
        .onSuccess(accepted -> json(ctx, 202, accepted.toJson()))
        .onFailure(err -> fail(ctx, err));
  }

  private void status(RoutingContext ctx) {
    task(ctx.pathParam("id"))
        .onSuccess(task -> json(ctx, 200, task.toJson()))
        .onFailure(err -> fail(ctx, err));
  }

  private Future<TaskReport> task(String id) {
    return bus.<JsonObject>request(nodeAddress(config.name(), Constants.STATUS), new StatusRequest(id).toJson())
        .map(reply -> TaskReport.fromJson(reply.body()));
  }

  /**
   * Server-sent events: first the task as it stands, then every event the task publishes, until
   * "done". We subscribe before reading the state, and hold back events until the state is
   * written, so that none is lost between the two.
   */
  private void events(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    HttpServerResponse response = ctx.response();
    List<TaskEvent> early = new ArrayList<>();
    MessageConsumer<JsonObject> consumer = bus.localConsumer(taskAddress(id, Constants.EVENTS));
    consumer.handler(message -> {
      TaskEvent event = event(id, message.body());
      if (event == null) {
        return;
      }
      if (response.headWritten()) {
        forward(response, consumer, event);
      } else {
        early.add(event);
      }
    });
    response.closeHandler(v -> consumer.unregister());
    consumer.completion()
        .compose(v -> task(id))
        .onSuccess(task -> {
          response.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache");
          forward(response, consumer, new TaskEvent.Snapshot(task));
          early.forEach(event -> forward(response, consumer, event));
        })
        .onFailure(err -> {
          consumer.unregister();
          fail(ctx, err);
        });
  }

  /** @return the event, or null for a message on the task's address that is none (it is not streamed) */
  private static TaskEvent event(String id, JsonObject body) {
    try {
      return TaskEvent.fromJson(body);
    } catch (IllegalArgumentException e) {
      LOG.warn("task {}: not streaming an unreadable event: {}", id, e.getMessage());
      return null;
    }
  }

  private static void forward(HttpServerResponse response, MessageConsumer<JsonObject> consumer, TaskEvent event) {
    if (response.ended()) {
      return;
    }
    response.write("event: " + event.type() + "\ndata: " + event.toJson().encode() + "\n\n");
    if (event.ends()) {
      consumer.unregister();
      response.end();
    }
  }

  private void nodes(RoutingContext ctx) {
    bus.<JsonArray>request(nodeAddress(config.name(), Constants.NODES), null)
        .onSuccess(reply -> ctx.response().putHeader("Content-Type", "application/json").end(reply.body().encode()))
        .onFailure(err -> fail(ctx, err));
  }

  /** UP while the node registry says this node is in the cluster; DOWN (503) with its reason otherwise. */
  private void health(RoutingContext ctx) {
    JsonObject health = new JsonObject().put("node", config.name()).put("version", Constants.VERSION);
    bus.request(nodeAddress(config.name(), Constants.HEALTH), null, new DeliveryOptions().setSendTimeout(HEALTH_WITHIN_MS))
        .onSuccess(in -> json(ctx, 200, health.put("status", "UP")))
        .onFailure(err -> json(ctx, 503, health.put("status", "DOWN").put("reason", err.getMessage())));
  }

  private static void fail(RoutingContext ctx, Throwable err) {
    error(ctx, ReplyCode.of(err), err.getMessage());
  }

  private static void error(RoutingContext ctx, int code, String message) {
    json(ctx, code, new JsonObject().put("error", message));
  }

  private static void json(RoutingContext ctx, int code, JsonObject body) {
    ctx.response().setStatusCode(code).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
