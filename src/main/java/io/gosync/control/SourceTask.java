package io.gosync.control;

import io.gosync.config.NodeConfig;
import io.gosync.control.TargetState.Status;
import io.gosync.liveness.Silence;
import io.gosync.protocol.Constants;
import io.gosync.protocol.NeedList;
import io.gosync.protocol.TaskRequest;
import io.gosync.relay.RelayMessages.SendRequest;
import io.gosync.relay.wire.TreeNode;
import io.gosync.scan.Manifest;
import io.gosync.scan.ManifestCodec;
import io.gosync.scan.ScanMessages.SourceRequest;
import io.gosync.scan.ScanMessages.SourceScan;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.gosync.protocol.Constants.nodeAddress;
import static io.gosync.protocol.Constants.taskAddress;

/**
 * One task on its source node, from scan to report: serves the manifest in chunks, asks every
 * target to prepare, groups targets by need-list, runs one relay tree per group (a few groups
 * at once), and gathers one result per target. A target that falls silent, leaves the cluster
 * or fails is reported for itself; the others go on. Lives on the control verticle's event loop.
 */
final class SourceTask {

  private final Vertx vertx;
  private final EventBus bus;
  private final NodeConfig config;
  private final TaskRequest request;
  private final Map<String, TargetState> targets = new LinkedHashMap<>();
  private final Promise<Void> done = Promise.promise();
  private final Deque<List<TargetState>> waitingGroups = new ArrayDeque<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  private String state = "accepted";
  private String message;
  private final long startedAt = System.currentTimeMillis();
  private long finishedAt;
  private long timer = -1;
  private Manifest manifest;
  private Long fileCount;
  private Long totalBytes;
  private Path src;
  private List<Buffer> chunks = List.of();
  private String digest;
  private int runningGroups;
  private int groupCount;

  SourceTask(Vertx vertx, NodeConfig config, TaskRequest request, List<TargetState> targets) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.config = config;
    this.request = request;
    targets.forEach(target -> this.targets.put(target.name(), target));
  }

  String id() {
    return request.id();
  }

  boolean isDone() {
    return done.future().isComplete();
  }

  /** @return completes when every target has its result */
  Future<Void> run() {
    checkDone(); // every target may already have failed (unknown names): nothing to do then
    if (isDone()) {
      return done.future();
    }
    consumers.add(bus.consumer(taskAddress(id(), Constants.CONTROL), this::onControl));
    consumers.add(bus.consumer(taskAddress(id(), Constants.MANIFEST), this::onManifestChunk));
    timer = vertx.setPeriodic(config.heartbeatMs(), id -> tick());
    Future.all(consumers.stream().map(MessageConsumer::completion).toList())
        .compose(v -> scan())
        .compose(v -> prepareAll())
        .onSuccess(v -> transferAll())
        .onFailure(err -> {
          message = err.getMessage();
          failRemaining("the task failed on the source: " + err.getMessage());
        });
    return done.future();
  }

  private Future<Void> scan() {
    setState("scanning");
    return bus.<SourceScan>request(nodeAddress(config.name(), Constants.SCAN_SOURCE),
            SourceRequest.scan(request.src()), new DeliveryOptions().setSendTimeout(Silence.LONG_WAIT_MS))
        .map(Message::body)
        .compose(scan -> {
          src = scan.path();
          manifest = scan.manifest();
          fileCount = manifest.fileCount();
          totalBytes = manifest.totalBytes();
          return vertx.executeBlocking(() -> ManifestCodec.encode(manifest), false);
        })
        .map(encoded -> {
          digest = ManifestCodec.digest(encoded);
          List<Buffer> pieces = new ArrayList<>();
          for (int at = 0; at < encoded.length; at += config.manifestChunkBytes()) {
            pieces.add(Buffer.buffer(java.util.Arrays.copyOfRange(encoded, at,
                Math.min(encoded.length, at + config.manifestChunkBytes()))));
          }
          chunks = pieces;
          return null;
        });
  }

  private Future<Void> prepareAll() {
    setState("preparing");
    List<Future<Void>> prepared = new ArrayList<>();
    for (TargetState target : targets.values()) {
      if (!target.status.isFinal()) {
        prepared.add(prepare(target));
      }
    }
    return Future.join(prepared).mapEmpty();
  }

  private Future<Void> prepare(TargetState target) {
    setStatus(target, Status.PREPARING, null);
    JsonObject ask = new JsonObject()
        .put("taskId", id()).put("source", config.name()).put("dst", request.dst())
        .put("delete", request.delete()).put("overwrite", request.overwrite())
        .put("manifest", new JsonObject().put("digest", digest).put("chunks", chunks.size())
            .put("entries", manifest.size()));
    return bus.<JsonObject>request(nodeAddress(target.name(), Constants.PREPARE), ask,
            new DeliveryOptions().setSendTimeout(config.prepareTimeoutMs()))
        .onSuccess(reply -> prepared(target, reply.body()))
        .onFailure(err -> fail(target, describe(err)))
        .<Void>mapEmpty()
        .recover(err -> Future.succeededFuture());
  }

  private void prepared(TargetState target, JsonObject reply) {
    if (target.status.isFinal()) {
      return;
    }
    try {
      target.need = NeedList.fromBase64(reply.getString("need"), manifest.size());
    } catch (RuntimeException e) {
      fail(target, "sent a bad need-list: " + e.getMessage());
      return;
    }
    target.needFiles = reply.getLong("needFiles");
    target.needBytes = reply.getLong("needBytes");
    target.created = reply.getLong("created");
    target.deleted = reply.getLong("deleted");
    target.fixed = reply.getLong("fixed");
    target.conflicts = reply.getLong("conflicts");
    target.conflictPaths = reply.getJsonArray("conflictPaths", new JsonArray());
    setStatus(target, Status.PREPARED, null);
  }

  /** Targets with identical need-lists form a group; each group gets its own relay tree. */
  private void transferAll() {
    if (isDone()) {
      return;
    }
    setState("transferring");
    Map<NeedList, List<TargetState>> groups = new LinkedHashMap<>();
    for (TargetState target : targets.values()) {
      if (target.status == Status.PREPARED) {
        groups.computeIfAbsent(target.need, need -> new ArrayList<>()).add(target);
      }
    }
    for (Map.Entry<NeedList, List<TargetState>> group : groups.entrySet()) {
      if (group.getKey().isEmpty()) {
        group.getValue().forEach(this::finishWithoutData);
      } else {
        waitingGroups.add(group.getValue());
      }
    }
    startGroups();
    checkDone();
  }

  private void finishWithoutData(TargetState target) {
    bus.send(nodeAddress(target.name(), Constants.FINISH), new JsonObject().put("taskId", id()));
  }

  private void startGroups() {
    while (runningGroups < config.maxParallelGroups() && !waitingGroups.isEmpty()) {
      List<TargetState> members = waitingGroups.poll();
      int group = ++groupCount;
      runningGroups++;
      send(group, members).onComplete(v -> {
        runningGroups--;
        startGroups();
      });
    }
  }

  private Future<Void> send(int group, List<TargetState> members) {
    List<TreeNode> nodes = new ArrayList<>();
    for (TargetState member : members) {
      if (!member.status.isFinal()) {
        setStatus(member, Status.TRANSFERRING, null);
        nodes.add(new TreeNode(member.name(), member.node.host(), member.node.dataPort(), List.of()));
      }
    }
    if (nodes.isEmpty()) {
      return Future.succeededFuture();
    }
    SendRequest send = new SendRequest(id(), group, src, manifest, members.get(0).need,
        TreeNode.plan(nodes, request.fanout()), request.compress());
    return bus.request(nodeAddress(config.name(), Constants.RELAY_SEND), send,
            new DeliveryOptions().setSendTimeout(Silence.LONG_WAIT_MS))
        .onFailure(err -> members.forEach(member -> fail(member, "the source could not send: " + err.getMessage())))
        .<Void>mapEmpty()
        .recover(err -> Future.succeededFuture());
  }

  private void onControl(Message<JsonObject> message) {
    JsonObject body = message.body();
    TargetState target = targets.get(body.getString("target", ""));
    if (target == null || target.status.isFinal()) {
      return;
    }
    target.silence.heard();
    switch (body.getString("type", "")) {
      case "progress" -> {
        target.files = body.getLong("files", target.files);
        target.bytes = body.getLong("bytes", target.bytes);
        publish("progress", new JsonObject().put("target", target.requested).put("files", target.files)
            .put("bytes", target.bytes).put("totalFiles", target.needFiles).put("totalBytes", target.needBytes));
      }
      case "result" -> onResult(target, body);
      default -> { } // "live": being heard is all it says
    }
  }

  private void onResult(TargetState target, JsonObject result) {
    Status status = switch (result.getString("status", "")) {
      case "ok" -> Status.OK;
      case "unchanged" -> Status.UNCHANGED;
      default -> Status.FAILED;
    };
    target.files = result.getLong("files", target.files);
    target.bytes = result.getLong("bytes", target.bytes);
    target.fixed += result.getLong("fixedDirectories", 0L);
    target.via = result.getString("via");
    if (status == Status.FAILED) {
      fail(target, result.getString("message", "failed"));
    } else {
      setStatus(target, status, result.getString("message"));
    }
  }

  private void onManifestChunk(Message<JsonObject> message) {
    Integer chunk = message.body() == null ? null : message.body().getInteger("chunk");
    if (chunk == null || chunk < 0 || chunk >= chunks.size()) {
      message.fail(400, "chunk: must be 0.." + (chunks.size() - 1));
    } else {
      message.reply(chunks.get(chunk));
    }
  }

  /** Heartbeat: tells targets the source is alive, and gives up on targets that fell silent. */
  private void tick() {
    bus.publish(taskAddress(id(), Constants.KEEPALIVE), new JsonObject().put("source", config.name()));
    for (TargetState target : List.copyOf(targets.values())) {
      if (target.status != Status.PENDING && !target.status.isFinal()
          && target.silence.longerThan(config.targetTimeoutMs())) {
        fail(target, "no word from " + target.name() + " for " + config.targetTimeoutMs() / 1000 + " s");
      }
    }
  }

  /** The node hosting these targets left the cluster. */
  void nodeLeft(String node) {
    for (TargetState target : List.copyOf(targets.values())) {
      if (target.node != null && target.node.name().equals(node)) {
        fail(target, node + " left the cluster (stopped or died) during the task");
      }
    }
  }

  private void failRemaining(String reason) {
    for (TargetState target : List.copyOf(targets.values())) {
      fail(target, reason);
    }
  }

  private void fail(TargetState target, String reason) {
    if (target.status.isFinal()) {
      return;
    }
    setStatus(target, Status.FAILED, reason);
    if (target.node != null) {
      bus.send(nodeAddress(target.name(), Constants.ABORT), new JsonObject().put("taskId", id()).put("reason", reason));
    }
  }

  private void setStatus(TargetState target, Status status, String text) {
    if (target.status.isFinal()) {
      return;
    }
    target.status = status;
    if (text != null) {
      target.message = text;
    }
    publish("target", target.toJson());
    if (status.isFinal()) {
      checkDone();
    }
  }

  private void setState(String next) {
    if (isDone()) {
      return;
    }
    state = next;
    publish("state", new JsonObject().put("state", next));
  }

  private void checkDone() {
    if (isDone() || !targets.values().stream().allMatch(target -> target.status.isFinal())) {
      return;
    }
    state = "done";
    finishedAt = System.currentTimeMillis();
    vertx.cancelTimer(timer);
    consumers.forEach(MessageConsumer::unregister);
    // A finished task stays in the history for status queries: keep its report, not its manifest.
    manifest = null;
    chunks = List.of();
    done.complete();
    publish("done", toJson());
  }

  private void publish(String type, JsonObject event) {
    bus.publish(taskAddress(id(), Constants.EVENTS), event.put("type", type).put("taskId", id()));
  }

  JsonObject toJson() {
    JsonArray results = new JsonArray();
    targets.values().forEach(target -> results.add(target.toJson()));
    return new JsonObject()
        .put("id", id()).put("source", config.name())
        .put("request", request.toJson())
        .put("state", state).put("message", message)
        .put("files", fileCount)
        .put("bytes", totalBytes)
        .put("groups", groupCount)
        .put("startedAt", startedAt).put("finishedAt", finishedAt == 0 ? null : finishedAt)
        .put("ok", isDone() && targets.values().stream().noneMatch(target -> target.status == Status.FAILED))
        .put("targets", results);
  }

  static String describe(Throwable err) {
    if (err instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case NO_HANDLERS -> "does not answer on the event bus (is its gosync daemon running?)";
        case TIMEOUT -> "did not answer in time";
        default -> reply.getMessage();
      };
    }
    return String.valueOf(err.getMessage());
  }
}
