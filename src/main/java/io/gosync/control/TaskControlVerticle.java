package io.gosync.control;

import io.gosync.budget.Budget;
import io.gosync.config.NodeConfig;
import io.gosync.protocol.Abort;
import io.gosync.protocol.Constants;
import io.gosync.protocol.ExpectedParents;
import io.gosync.protocol.Finish;
import io.gosync.protocol.NodeInfo;
import io.gosync.protocol.Prepare;
import io.gosync.protocol.Rebuilt;
import io.gosync.protocol.ReplyCode;
import io.gosync.protocol.Skipped;
import io.gosync.protocol.StatusRequest;
import io.gosync.protocol.SubmitReply;
import io.gosync.protocol.TaskRequest;
import io.gosync.relay.RelayMessages.Received;
import io.gosync.scan.ScanMessages.SourceRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static io.gosync.protocol.Constants.nodeAddress;

/**
 * Layer one. As a source it accepts tasks (over HTTP through the API verticle, or straight from
 * the event bus), resolves targets and runs each task; as a target it takes its share of other
 * nodes' tasks, one task per destination at a time. See verticles-docs/task-control.md.
 */
public final class TaskControlVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(TaskControlVerticle.class);

  private final NodeConfig config;
  private final Map<String, SourceTask> tasks = new LinkedHashMap<>();
  private final Map<String, TargetPart> parts = new HashMap<>();
  private final DestinationQueue queue = new DestinationQueue();
  /** Shared by this source's tasks: a straggler is slow against what its group did before. */
  private final BestRates rates = new BestRates();
  private final ManifestBudget manifests = ManifestBudget.ofHeap(Budget.heap());
  /** Ids of tasks being checked before they start, so that two submits cannot take one id. */
  private final Set<String> accepting = new HashSet<>();
  private EventBus bus;
  /** This node as a target may name it. */
  private NodeInfo asTarget;

  public TaskControlVerticle(NodeConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    String self = config.name();
    asTarget = new NodeInfo(self, config.host(), config.dataPort(), config.httpPort(), Constants.VERSION, "");
    return Future.all(List.of(
        bus.<JsonObject>consumer(nodeAddress(self, Constants.SUBMIT), this::onSubmit).completion(),
        bus.<JsonObject>consumer(nodeAddress(self, Constants.STATUS), this::onStatus).completion(),
        bus.<JsonObject>consumer(nodeAddress(self, Constants.PREPARE), this::onPrepare).completion(),
        bus.<JsonObject>consumer(nodeAddress(self, Constants.PARENTS), this::onParents).completion(),
        bus.<JsonObject>consumer(nodeAddress(self, Constants.BLOCKS), this::onBlocks).completion(),
        bus.<JsonObject>consumer(nodeAddress(self, Constants.FINISH), this::onFinish).completion(),
        bus.<JsonObject>consumer(nodeAddress(self, Constants.ABORT), this::onAbort).completion(),
        bus.<Received>localConsumer(nodeAddress(self, Constants.RECEIVED), this::onReceived).completion(),
        bus.<String>localConsumer(nodeAddress(self, Constants.NODE_LEFT), this::onNodeLeft).completion()));
  }

  // ---- as a source ----

  private void onSubmit(Message<JsonObject> message) {
    TaskRequest request;
    try {
      request = TaskRequest.fromJson(message.body(), config.fanout());
    } catch (IllegalArgumentException | ClassCastException e) {
      message.fail(400, e.getMessage());
      return;
    }
    if (tasks.containsKey(request.id()) || !accepting.add(request.id())) {
      message.fail(409, "id: task " + request.id() + " already exists on " + config.name());
      return;
    }
    bus.<JsonArray>request(nodeAddress(config.name(), Constants.NODES), null)
        .map(nodes -> resolveTargets(request, nodes.body()))
        .compose(targets -> {
          boolean local = targets.stream().anyMatch(target -> target.runsOn(config.name()));
          SourceRequest check = new SourceRequest(request.src(), true, local ? request.dst() : null);
          return bus.request(nodeAddress(config.name(), Constants.SCAN_SOURCE), check).map(targets);
        })
        .onComplete(done -> accepting.remove(request.id()))
        .onSuccess(targets -> start(message, request, targets))
        .onFailure(err -> message.fail(ReplyCode.of(err), err.getMessage()));
  }

  /**
   * Hazelcast's node map is only a hint here, for anyone on Hazelcast may rewrite it: a target that names a node
   * is that node, reached by its name on the event bus (however many entries claim the name); the map says only
   * which names exist, and which node a host or host:dataPort means. The data address is never taken from it
   * (each target gives its own in its prepare reply), and a target checks that it answers to what the task named.
   */
  private List<TargetState> resolveTargets(TaskRequest request, JsonArray nodes) {
    List<NodeInfo> known = new ArrayList<>();
    nodes.forEach(node -> known.add(NodeInfo.fromJson((JsonObject) node)));
    List<TargetState> targets = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String target : request.targets()) {
      boolean named = known.stream().anyMatch(node -> node.name().equals(target));
      List<String> matches = named ? List.of(target)
          : known.stream().filter(node -> node.answersTo(target)).map(NodeInfo::name).distinct().toList();
      if (matches.size() == 1) {
        if (seen.add(matches.get(0))) {
          targets.add(TargetState.resolved(target, matches.get(0)));
        }
        continue;
      }
      targets.add(TargetState.unresolved(target, matches.isEmpty()
          ? "unknown target: no live node in the cluster is named or listens at '" + target + "'"
          : "ambiguous target '" + target + "': nodes " + matches
              + " all run there; give a node name or host:dataPort"));
    }
    return targets;
  }

  private void start(Message<JsonObject> message, TaskRequest request, List<TargetState> targets) {
    SourceTask task = new SourceTask(vertx, config, request, targets, rates);
    tasks.put(task.id(), task);
    forgetOldTasks();
    message.reply(new SubmitReply(task.id(), config.name()).toJson());
    task.run();
  }

  private void forgetOldTasks() {
    var finished = tasks.values().stream().filter(SourceTask::isDone).map(SourceTask::id).toList();
    for (int i = 0; i < finished.size() && tasks.size() > config.taskHistory(); i++) {
      tasks.remove(finished.get(i));
    }
  }

  private void onStatus(Message<JsonObject> message) {
    String id;
    try {
      id = StatusRequest.fromJson(message.body()).id();
    } catch (IllegalArgumentException e) {
      message.fail(400, e.getMessage());
      return;
    }
    SourceTask task = tasks.get(id);
    if (task == null) {
      message.fail(404, "no task " + id + " on " + config.name());
    } else {
      message.reply(task.report().toJson());
    }
  }

  // ---- as a target ----

  private void onPrepare(Message<JsonObject> message) {
    Prepare ask;
    try {
      ask = Prepare.fromJson(message.body());
    } catch (IllegalArgumentException e) {
      message.fail(400, e.getMessage());
      return;
    }
    if (parts.containsKey(ask.taskId())) {
      message.fail(400, "taskId: " + ask.taskId() + " is already being prepared here");
      return;
    }
    if (ask.target() != null && !asTarget.answersTo(ask.target())) {
      message.fail(400, "target: this is node " + config.name() + " at " + config.host() + ":" + config.dataPort()
          + ", not '" + ask.target() + "' (was the node map rewritten?)");
      return;
    }
    TargetPart part = new TargetPart(vertx, config, queue, manifests, ask, () -> parts.remove(ask.taskId()));
    parts.put(ask.taskId(), part);
    part.prepare()
        .onSuccess(reply -> message.reply(reply.toJson()))
        .onFailure(err -> message.fail(ReplyCode.of(err), err.getMessage()));
  }

  /** The source has planned the relay tree: the nodes this target may be fed by. */
  private void onParents(Message<JsonObject> message) {
    ExpectedParents told;
    try {
      told = ExpectedParents.fromJson(message.body());
    } catch (IllegalArgumentException e) {
      message.fail(400, e.getMessage());
      return;
    }
    TargetPart part = parts.get(told.taskId());
    if (part == null) {
      message.fail(404, "taskId: no task " + told.taskId() + " is prepared on " + config.name());
      return;
    }
    part.expectFrom(told.parents())
        .onSuccess(v -> message.reply(null))
        .onFailure(err -> message.fail(ReplyCode.of(err), err.getMessage()));
  }

  /** The source's block lists for files held here in another version: answered with the blocks this node lacks. */
  private void onBlocks(Message<JsonObject> message) {
    String taskId = message.body() == null ? null : message.body().getValue("taskId") instanceof String id ? id : null;
    TargetPart part = taskId == null ? null : parts.get(taskId);
    if (part == null) {
      message.fail(404, "taskId: no task " + taskId + " is prepared on " + config.name());
      return;
    }
    part.offered(message.body())
        .onSuccess(deltas -> message.reply(new JsonObject().put("deltas", deltas.toJson())))
        .onFailure(err -> message.fail(ReplyCode.of(err), err.getMessage()));
  }

  private void onFinish(Message<JsonObject> message) {
    TargetPart part = partOf(message.body(), body -> Finish.fromJson(body).taskId());
    if (part != null) {
      part.finish(0, 0, Rebuilt.NONE, Skipped.NONE, null);
    }
  }

  private void onAbort(Message<JsonObject> message) {
    TargetPart part = partOf(message.body(), body -> Abort.fromJson(body).taskId());
    if (part != null) {
      part.close();
    }
  }

  /**
   * The part a finish or an abort is for: null for a task this node has no part of, or for a
   * message without a task id (the source expects no reply, so there is nobody to refuse).
   */
  private TargetPart partOf(JsonObject body, Function<JsonObject, String> taskId) {
    try {
      return parts.get(taskId.apply(body));
    } catch (IllegalArgumentException e) {
      LOG.debug("{}: ignoring a finish or abort: {}", config.name(), e.getMessage());
      return null;
    }
  }

  private void onReceived(Message<Received> message) {
    Received received = message.body();
    TargetPart part = parts.get(received.taskId());
    if (part == null) {
      return;
    }
    String fedBy = received.via() == null ? received.message() : received.message() + " (fed by " + received.via() + ")";
    if (received.ok()) {
      part.finish(received.files(), received.bytes(), received.rebuilt(), received.skipped(), received.via());
    } else if (received.cutOff()) {
      part.cutOff(fedBy);
    } else {
      part.fail(fedBy);
    }
  }

  private void onNodeLeft(Message<String> message) {
    String node = message.body();
    tasks.values().forEach(task -> task.nodeLeft(node));
    List.copyOf(parts.values()).stream().filter(part -> part.source.equals(node)).forEach(TargetPart::close);
  }
}
