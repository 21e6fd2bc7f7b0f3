package io.gosync.control;

import io.gosync.config.NodeConfig;
import io.gosync.liveness.Silence;
import io.gosync.protocol.BlockOffer;
import io.gosync.protocol.Constants;
import io.gosync.protocol.Deltas;
import io.gosync.protocol.Prepare;
import io.gosync.protocol.Rebuilt;
import io.gosync.protocol.PrepareReply;
import io.gosync.protocol.Skipped;
import io.gosync.protocol.TargetReport.Live;
import io.gosync.protocol.TargetReport.Result;
import io.gosync.protocol.TargetStatus;
import io.gosync.relay.ReceivePlan;
import io.gosync.relay.Reports;
import io.gosync.scan.Manifest;
import io.gosync.scan.PrepareOutcome;
import io.gosync.scan.ScanMessages.Bases;
import io.gosync.scan.ScanMessages.BasesRequest;
import io.gosync.scan.ScanMessages.FinishRequest;
import io.gosync.scan.ScanMessages.PrepareRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

import static io.gosync.protocol.Constants.nodeAddress;
import static io.gosync.protocol.Constants.taskAddress;
import static java.util.stream.Collectors.toMap;

/**
 * A target's share of one task: waits its turn on the destination, pulls the manifest in
 * chunks, has the scanner prepare the destination, tells the relay what to expect, and at the
 * end finishes directory metadata and reports to the source. While it is open it sends the
 * source a heartbeat, and gives up if the source falls silent. Lives on the control event loop.
 */
final class TargetPart {

  private final Vertx vertx;
  private final EventBus bus;
  private final NodeConfig config;
  private final DestinationQueue queue;
  private final ManifestBudget budget;
  private final Runnable onClosed;
  final String taskId;
  final String source;
  private final Prepare ask;

  private Manifest manifest;
  /** What this part holds of the node's manifest budget, from its turn until it closes. */
  private ManifestBudget.Share share;
  private PrepareOutcome outcome;
  private Runnable release;
  private MessageConsumer<JsonObject> keepalive;
  private long timer = -1;
  /** The source's keepalives; this part gives up once the source falls silent. */
  private final Silence sourceSilence = Silence.fromNow();
  private String phase = "queued";
  private boolean closed;
  /** The source told this part its parents: the relay expects the stream. */
  private boolean told;
  /** The files built from their old version here, once the source offered their block lists; else none. */
  private Bases bases;

  TargetPart(Vertx vertx, NodeConfig config, DestinationQueue queue, ManifestBudget budget, Prepare ask,
             Runnable onClosed) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.config = config;
    this.queue = queue;
    this.budget = budget;
    this.ask = ask;
    this.onClosed = onClosed;
    this.taskId = ask.taskId();
    this.source = ask.source();
  }

  /** @return the reply to the source's prepare request: the need-list and what was done */
  Future<PrepareReply> prepare() {
    keepalive = bus.consumer(taskAddress(taskId, Constants.KEEPALIVE), m -> sourceSilence.heard());
    timer = vertx.setPeriodic(config.heartbeatMs(), id -> heartbeat());
    heartbeat();
    return queue.acquire(ask.dst())
        .compose(this::ourTurn)
        .compose(mine -> ManifestFetch.fetch(vertx, taskId, source, ask.manifest(), mine))
        .compose(this::refuseEmptying)
        .compose(decoded -> {
          manifest = decoded;
          phase = "diffing";
          return bus.<PrepareOutcome>request(nodeAddress(config.name(), Constants.SCAN_PREPARE),
              new PrepareRequest(ask.dst(), decoded, ask.delete(), ask.overwrite()),
              new DeliveryOptions().setSendTimeout(Silence.LONG_WAIT_MS));
        })
        .map(Message::body)
        .compose(this::keepOutcome)
        .map(this::answer)
        .onSuccess(reply -> phase = "waiting")
        .onFailure(err -> close());
  }

  private Future<ManifestBudget.Share> ourTurn(Runnable release) {
    this.release = release;
    if (closed) {
      release.run();
      return Future.failedFuture("the task was aborted while it waited for the destination");
    }
    phase = "manifest";
    try {
      share = budget.reserve(ask.manifest().entries());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return Future.succeededFuture(share);
  }

  /**
   * The source refuses an empty src so that a sync cannot empty a target; a target does not take that on trust
   * from a peer. A manifest of nothing but the root, with delete, would delete everything in dst: refused here,
   * before the scanner has touched dst.
   */
  private Future<Manifest> refuseEmptying(Manifest decoded) {
    if (ask.delete() && decoded.size() == 1 && !decoded.singleFile()) {
      return Future.failedFuture(new IllegalArgumentException("manifest: the source sent an empty directory with"
          + " delete, which would empty " + ask.dst() + " on " + config.name() + "; refused, nothing was changed"));
    }
    return Future.succeededFuture(decoded);
  }

  private Future<PrepareOutcome> keepOutcome(PrepareOutcome prepared) {
    outcome = prepared;
    if (closed) {
      return Future.failedFuture("the task was aborted while the destination was prepared");
    }
    return Future.succeededFuture(prepared);
  }

  private PrepareReply answer(PrepareOutcome prepared) {
    return new PrepareReply(prepared.need(), prepared.partials(), prepared.bases(), prepared.needFiles(), prepared.needBytes(), prepared.created(),
        prepared.deleted(), prepared.fixed(), prepared.conflictCount(), prepared.conflicts(), config.host(),
        config.dataPort());
  }

  /**
   * The source offers the block lists of files held here in another version: the answer is, for each that is worth
   * it, the blocks this node lacks. Once, before the source plans the relay tree; a file not answered for is sent whole.
   */
  Future<Deltas> offered(JsonObject body) {
    if (closed || outcome == null || told || bases != null) {
      return Future.failedFuture(new IllegalArgumentException("taskId: " + taskId + " on " + config.name()
          + " takes no block offer now"));
    }
    BlockOffer offer;
    try {
      offer = BlockOffer.fromJson(body, outcome.bases());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    bases = Bases.NONE;
    phase = "comparing blocks";
    return bus.<Bases>request(nodeAddress(config.name(), Constants.SCAN_BASES),
            new BasesRequest(outcome.dst(), manifest, offer.lists()),
            new DeliveryOptions().setSendTimeout(Silence.LONG_WAIT_MS))
        .map(reply -> {
          bases = reply.body();
          phase = "waiting";
          return Deltas.of(bases.byIndex().entrySet().stream()
              .collect(toMap(Map.Entry::getKey, basis -> basis.getValue().missing())));
        });
  }

  /**
   * The source planned the relay tree: the relay may now take this task's stream, from one of these nodes
   * only. Told once, after a prepare that needs files; anything else is refused.
   */
  Future<Void> expectFrom(List<String> parents) {
    if (closed || outcome == null || outcome.needFiles() == 0 || told) {
      return Future.failedFuture(new IllegalArgumentException("taskId: " + taskId + " on " + config.name()
          + (told ? " was already told its parents" : " waits for no stream")));
    }
    told = true;
    return bus.request(nodeAddress(config.name(), Constants.RELAY_EXPECT),
            new ReceivePlan(taskId, source, outcome.dst(), manifest, outcome.need(),
                bases == null ? Bases.NONE : bases, parents))
        .mapEmpty();
  }

  /** The data has landed (or there was none), but for {@code skipped}: set directory metadata and report. */
  void finish(long files, long bytes, Rebuilt rebuilt, Skipped skipped, String via) {
    if (closed || outcome == null) {
      return;
    }
    phase = "finishing";
    bus.<Integer>request(nodeAddress(config.name(), Constants.SCAN_FINISH), new FinishRequest(outcome.dst(), manifest),
            new DeliveryOptions().setSendTimeout(Silence.LONG_WAIT_MS))
        .onSuccess(reply -> report(finished(files, bytes, rebuilt, reply.body(), skipped, via)))
        .onFailure(err -> fail("cannot finish the destination: " + err.getMessage()));
  }

  /**
   * Partial if files were skipped; else ok if anything changed here (files landed, entries created, deleted or
   * fixed, conflicts), else unchanged.
   */
  private Result finished(long files, long bytes, Rebuilt rebuilt, int fixedDirectories, Skipped skipped, String via) {
    boolean changed = files > 0 || outcome.created() > 0 || outcome.deleted() > 0 || outcome.fixed() > 0
        || fixedDirectories > 0 || outcome.conflictCount() > 0;
    TargetStatus status = !skipped.isEmpty() ? TargetStatus.PARTIAL : changed ? TargetStatus.OK : TargetStatus.UNCHANGED;
    return new Result(config.name(), status, files, bytes, rebuilt, fixedDirectories, via, skipped, conflictNote());
  }

  void fail(String reason) {
    if (!closed) {
      report(Result.failed(config.name(), reason));
    }
  }

  /** The stream stopped coming, through no fault here: the source may feed this node again, or fail it. */
  void cutOff(String reason) {
    if (!closed) {
      Reports.cutOff(bus, taskId, config.name(), reason);
      close();
    }
  }

  private String conflictNote() {
    if (outcome.conflictCount() == 0) {
      return null;
    }
    return outcome.conflictCount() + " differing entries left as they were (no-overwrite): "
        + String.join(", ", outcome.conflicts()) + (outcome.conflictCount() > outcome.conflicts().size() ? ", …" : "");
  }

  private void report(Result result) {
    Reports.result(bus, taskId, result);
    close();
  }

  private void heartbeat() {
    if (sourceSilence.longerThan(config.targetTimeoutMs())) {
      close();
      return;
    }
    Reports.live(bus, taskId, new Live(config.name(), phase));
  }

  /** Gives everything back: timers, the destination, the relay's plan and any temporary file. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    vertx.cancelTimer(timer);
    if (share != null) {
      budget.release(share);
      share = null;
    }
    if (keepalive != null) {
      keepalive.unregister();
    }
    bus.request(nodeAddress(config.name(), Constants.RELAY_FORGET), taskId)
        .onComplete(forgotten -> {
          if (release != null) {
            release.run();
          }
        });
    onClosed.run();
  }
}
