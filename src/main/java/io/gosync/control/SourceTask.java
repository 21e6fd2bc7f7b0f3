package io.gosync.control;

import io.gosync.config.NodeConfig;
import io.gosync.liveness.Silence;
import io.gosync.protocol.Abort;
import io.gosync.protocol.Constants;
import io.gosync.protocol.Finish;
import io.gosync.protocol.Keepalive;
import io.gosync.protocol.Prepare;
import io.gosync.protocol.PrepareReply;
import io.gosync.protocol.TargetStatus;
import io.gosync.protocol.TaskReport;
import io.gosync.protocol.TaskRequest;
import io.gosync.protocol.TaskState;
import io.gosync.relay.RelayMessages.SendRequest;
import io.gosync.relay.wire.TreeNode;
import io.gosync.scan.ScanMessages.SourceRequest;
import io.gosync.scan.ScanMessages.SourceScan;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.gosync.protocol.Constants.nodeAddress;
import static io.gosync.protocol.Constants.taskAddress;
import static java.util.stream.Collectors.toSet;

/**
 * One task on its source node, from scan to report: it scans, has the manifest served
 * ({@link SharedManifest}), asks every target to prepare, groups targets by need-list
 * ({@link Grouping}), runs one relay tree per group ({@link GroupRunner}, {@link RelayPlan}), and
 * gathers one result per target ({@link TargetState}). A target that falls silent, leaves the
 * cluster or fails is reported for itself; the others go on. Lives on the control verticle's
 * event loop.
 */
final class SourceTask {

  private static final Logger LOG = LoggerFactory.getLogger(SourceTask.class);

  private final Vertx vertx;
  private final EventBus bus;
  private final NodeConfig config;
  private final TaskRequest request;
  private final Map<String, TargetState> targets = new LinkedHashMap<>();
  private final Promise<Void> done = Promise.promise();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final TaskEvents events;
  private final SourceReport sourceReport;
  private final GroupRunner<Group<TargetState>> groups;
  private final Refeeds refeeds;
  private final StragglerMoves stragglers;

  private TaskState state = TaskState.ACCEPTED;
  private long timer = -1;
  /** The source's scan: its path, manifest and start; null once the task is done. */
  private SourceScan sourceScan;
  private SharedManifest shared = SharedManifest.none();

  SourceTask(Vertx vertx, NodeConfig config, TaskRequest request, List<TargetState> targets, BestRates rates) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.config = config;
    this.request = request;
    this.events = new TaskEvents(bus, request.id());
    this.sourceReport = new SourceReport(request, config.name());
    this.groups = new GroupRunner<>(config.maxParallelGroups(), this::send);
    this.refeeds = new Refeeds(this::feedAgain, this::changed);
    this.stragglers = new StragglerMoves(bus, config, request.id(), events, refeeds, rates);
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
    settle(); // every target may already have failed (unknown names): nothing to do then
    if (isDone()) {
      return done.future();
    }
    TargetReports reports = new TargetReports(id(), targets, events, stragglers, refeeds, sourceReport,
        this::changed);
    consumers.add(bus.<JsonObject>consumer(taskAddress(id(), Constants.CONTROL), message -> reports.heard(message.body())));
    consumers.add(bus.<JsonObject>consumer(taskAddress(id(), Constants.MANIFEST), chunk -> shared.serve(chunk)));
    timer = vertx.setPeriodic(config.heartbeatMs(), id -> tick());
    Future.all(consumers.stream().map(MessageConsumer::completion).toList())
        .compose(v -> scan())
        .compose(v -> prepareAll())
        .compose(v -> new BlockOffers(bus, config, id(), sourceScan).offer(prepared()))
        .onSuccess(v -> transferAll())
        .onFailure(err -> {
          sourceReport.failedOnSource(err.getMessage());
          targets.values().forEach(target -> fail(target, "the task failed on the source: " + err.getMessage()));
        });
    return done.future();
  }

  private Future<Void> scan() {
    moveTo(TaskState.SCANNING);
    return bus.<SourceScan>request(nodeAddress(config.name(), Constants.SCAN_SOURCE),
            SourceRequest.scan(request.src()), new DeliveryOptions().setSendTimeout(Silence.LONG_WAIT_MS))
        .map(Message::body)
        .compose(scanned -> {
          sourceScan = scanned;
          sourceReport.scanned(scanned);
          return SharedManifest.encode(vertx, scanned.manifest(), config.manifestChunkBytes());
        })
        .map(encoded -> {
          shared = encoded;
          return null;
        });
  }

  private Future<Void> prepareAll() {
    moveTo(TaskState.PREPARING);
    List<Future<Void>> prepared = new ArrayList<>();
    for (TargetState target : targets.values()) {
      if (!target.isFinal()) {
        prepared.add(prepare(target));
      }
    }
    return Future.join(prepared).mapEmpty();
  }

  private Future<Void> prepare(TargetState target) {
    if (target.preparing()) {
      changed(target);
    }
    Prepare ask = new Prepare(id(), config.name(), request.dst(), request.delete(), request.overwrite(), shared.ref(),
        target.requested());
    return bus.<JsonObject>request(nodeAddress(target.name(), Constants.PREPARE), ask.toJson(),
            new DeliveryOptions().setSendTimeout(config.prepareTimeoutMs()))
        .onSuccess(reply -> prepared(target, reply.body()))
        .onFailure(err -> fail(target, ParentNotices.describe(err)))
        .<Void>mapEmpty()
        .recover(err -> Future.succeededFuture());
  }

  private void prepared(TargetState target, JsonObject body) {
    if (target.isFinal()) {
      return;
    }
    PrepareReply reply;
    try {
      reply = PrepareReply.fromJson(body, shared.ref().entries());
      sourceScan.manifest().checkPartials(reply.partials());
    } catch (IllegalArgumentException e) {
      fail(target, "sent a bad prepare reply: " + e.getMessage());
      return;
    }
    if (target.prepared(reply)) {
      changed(target);
    }
  }

  /** Targets with identical need-lists form a group; each group gets its own relay tree. */
  private void transferAll() {
    if (isDone()) {
      return;
    }
    moveTo(TaskState.TRANSFERRING);
    transfer(prepared());
  }

  private List<TargetState> prepared() {
    return targets.values().stream().filter(target -> target.status() == TargetStatus.PREPARED).toList();
  }

  private void transfer(List<TargetState> prepared) {
    Grouping<TargetState> grouping = Grouping.of(prepared, TargetState::need, TargetState::deltas,
        TargetState::partials);
    grouping.withoutData().forEach(target ->
        bus.send(nodeAddress(target.name(), Constants.FINISH), new Finish(id()).toJson()));
    groups.run(grouping.groups());
  }

  /** Targets whose stream ended early (see {@link Refeeds}), prepared again: they get what they lack, and whole. */
  private void feedAgain(List<TargetState> again) {
    Future.join(again.stream().map(this::prepare).toList()).onComplete(v ->
        transfer(again.stream().filter(target -> target.status() == TargetStatus.PREPARED).toList()));
  }

  /**
   * Streams one group down its relay tree, once every member knows whom to accept the stream from; a member
   * that did not acknowledge fails alone and is cut out of the tree. A send that fails fails every member.
   */
  private Future<Void> send(int number, Group<TargetState> group) {
    List<TargetState> live = group.members().stream().filter(member -> !member.isFinal()).toList();
    for (TargetState member : live) {
      if (member.transferring()) {
        changed(member);
      }
    }
    RelayPlan plan = new RelayPlan(live.stream().map(TargetState::member).toList(), request.fanout());
    if (plan.isEmpty()) {
      return Future.succeededFuture();
    }
    return ParentNotices.tell(bus, id(), plan.ancestors(config.name()), config.targetTimeoutMs())
        .compose(refused -> {
          refused.forEach((member, why) -> fail(targets.get(member), why));
          Set<String> cut = live.stream().filter(TargetState::isFinal).map(TargetState::name).collect(toSet());
          List<TreeNode> children = plan.childrenWithout(cut);
          List<TargetState> members = live.stream().filter(member -> !member.isFinal()).toList();
          refeeds.watch(number, members);
          stragglers.watch(children, members);
          return children.isEmpty() ? Future.succeededFuture() : bus.request(nodeAddress(config.name(),
              Constants.RELAY_SEND), new SendRequest(id(), number, sourceScan.path(), sourceScan.manifest(),
              sourceScan.began(), group.need(), group.deltas(), group.partials(), children, request.compress()),
              new DeliveryOptions().setSendTimeout(Silence.LONG_WAIT_MS));
        })
        .onFailure(err -> group.members().forEach(
            member -> fail(member, "the source could not send: " + err.getMessage())))
        .onComplete(over -> refeeds.groupOver(number))
        .<Void>mapEmpty()
        .recover(err -> Future.succeededFuture());
  }

  /** Heartbeat: tells targets the source is alive, and gives up on targets that fell silent. */
  private void tick() {
    bus.publish(taskAddress(id(), Constants.KEEPALIVE), new Keepalive(config.name()).toJson());
    for (TargetState target : targets.values()) {
      if (target.silentFor(config.targetTimeoutMs())) {
        fail(target, "no word from " + target.name() + " for " + config.targetTimeoutMs() / 1000 + " s");
      }
    }
  }

  /** The node hosting these targets left the cluster. */
  void nodeLeft(String node) {
    for (TargetState target : targets.values()) {
      if (target.runsOn(node)) {
        fail(target, node + " left the cluster (stopped or died) during the task");
      }
    }
  }

  private void fail(TargetState target, String reason) {
    if (target.failed(reason)) {
      changed(target);
    }
  }

  /** After every transition: the target event, the end of the task perhaps, and an abort for a target that failed. */
  private void changed(TargetState target) {
    events.target(target.line());
    if (target.isFinal()) {
      settle();
    }
    if (target.status() == TargetStatus.FAILED && target.node() != null) {
      bus.send(nodeAddress(target.name(), Constants.ABORT), new Abort(id(), target.line().message()).toJson());
    }
  }

  private void moveTo(TaskState next) {
    if (isDone()) {
      return;
    }
    state = next;
    events.state(next);
  }

  /** The one place that decides the task is done: when every target is final. */
  private void settle() {
    if (isDone() || !targets.values().stream().allMatch(TargetState::isFinal)) {
      return;
    }
    state = TaskState.DONE;
    sourceReport.finished();
    vertx.cancelTimer(timer);
    consumers.forEach(MessageConsumer::unregister);
    // A finished task stays in the history for status queries: keep its report, not its manifest.
    sourceScan = null;
    shared.release();
    done.complete();
    events.done(report());
  }

  TaskReport report() {
    return sourceReport.render(state, groups.started(), targets.values());
  }
}
