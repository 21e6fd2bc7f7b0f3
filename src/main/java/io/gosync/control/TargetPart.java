package io.gosync.control;

import io.gosync.config.NodeConfig;
import io.gosync.liveness.Silence;
import io.gosync.protocol.ChunkRequest;
import io.gosync.protocol.Constants;
import io.gosync.protocol.Prepare;
import io.gosync.protocol.PrepareReply;
import io.gosync.protocol.Skipped;
import io.gosync.protocol.TargetReport.Live;
import io.gosync.protocol.TargetReport.Result;
import io.gosync.protocol.TargetStatus;
import io.gosync.relay.ReceivePlan;
import io.gosync.relay.Reports;
import io.gosync.scan.Manifest;
import io.gosync.scan.ManifestCodec;
import io.gosync.scan.PrepareOutcome;
import io.gosync.scan.ScanMessages.FinishRequest;
import io.gosync.scan.ScanMessages.PrepareRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.List;

import static io.gosync.protocol.Constants.nodeAddress;
import static io.gosync.protocol.Constants.taskAddress;

/**
 * A target's share of one task: waits its turn on the destination, pulls the manifest in
 * chunks, has the scanner prepare the destination, tells the relay what to expect, and at the
 * end finishes directory metadata and reports to the source. While it is open it sends the
 * source a heartbeat, and gives up if the source falls silent. Lives on the control event loop.
 */
final class TargetPart {

  private static final int MAX_CHUNKS = 100_000;

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
        .compose(this::fetchManifest)
        .compose(fetched -> vertx.executeBlocking(() -> decode(fetched.bytes(), fetched.limits()), false))
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

  /** A manifest as it arrived, and the limits its decode must keep (this part's share, taken on the event loop). */
  private record Fetched(Buffer bytes, ManifestCodec.Limits limits) {
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

  private Future<Fetched> fetchManifest(ManifestBudget.Share mine) {
    int count = ask.manifest().chunks();
    if (count < 1 || count > MAX_CHUNKS) {
      return Future.failedFuture(new IllegalArgumentException("manifest: bad chunk count " + count));
    }
    Promise<Buffer> all = Promise.promise();
    fetchChunk(0, count, Buffer.buffer(), mine, all);
    return all.future().map(bytes -> new Fetched(bytes, mine.limits()));
  }

  /** Chunk after chunk, while what arrived stays within the share: compressed, a manifest is smaller than decoded. */
  private void fetchChunk(int chunk, int count, Buffer sofar, ManifestBudget.Share mine, Promise<Buffer> all) {
    if (chunk == count) {
      all.complete(sofar);
      return;
    }
    bus.<Buffer>request(taskAddress(taskId, Constants.MANIFEST), new ChunkRequest(chunk).toJson())
        .onSuccess(reply -> {
          if (sofar.length() + (long) reply.body().length() > mine.bytes()) {
            all.tryFail(new IllegalArgumentException("manifest: more than " + mine.bytes() + " bytes arrived for "
                + mine.entries() + " entries, more than they may decode to here"));
          } else {
            fetchChunk(chunk + 1, count, sofar.appendBuffer(reply.body()), mine, all);
          }
        })
        .onFailure(err -> all.tryFail("cannot fetch the manifest from " + source + ": " + err.getMessage()));
  }

  private Manifest decode(Buffer bytes, ManifestCodec.Limits limits) {
    byte[] encoded = bytes.getBytes();
    if (!ManifestCodec.digest(encoded).equals(ask.manifest().digest())) {
      throw new IllegalArgumentException("manifest: digest mismatch; it was damaged in transit");
    }
    return ManifestCodec.decode(encoded, limits);
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
    return new PrepareReply(prepared.need(), prepared.partials(), prepared.needFiles(), prepared.needBytes(), prepared.created(),
        prepared.deleted(), prepared.fixed(), prepared.conflictCount(), prepared.conflicts(), config.host(),
        config.dataPort());
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
            new ReceivePlan(taskId, source, outcome.dst(), manifest, outcome.need(), parents))
        .mapEmpty();
  }

  /** The data has landed (or there was none), but for {@code skipped}: set directory metadata and report. */
  void finish(long files, long bytes, Skipped skipped, String via) {
    if (closed || outcome == null) {
      return;
    }
    phase = "finishing";
    bus.<Integer>request(nodeAddress(config.name(), Constants.SCAN_FINISH), new FinishRequest(outcome.dst(), manifest),
            new DeliveryOptions().setSendTimeout(Silence.LONG_WAIT_MS))
        .onSuccess(reply -> report(finished(files, bytes, reply.body(), skipped, via)))
        .onFailure(err -> fail("cannot finish the destination: " + err.getMessage()));
  }

  /**
   * Partial if files were skipped; else ok if anything changed here (files landed, entries created, deleted or
   * fixed, conflicts), else unchanged.
   */
  private Result finished(long files, long bytes, int fixedDirectories, Skipped skipped, String via) {
    boolean changed = files > 0 || outcome.created() > 0 || outcome.deleted() > 0 || outcome.fixed() > 0
        || fixedDirectories > 0 || outcome.conflictCount() > 0;
    TargetStatus status = !skipped.isEmpty() ? TargetStatus.PARTIAL : changed ? TargetStatus.OK : TargetStatus.UNCHANGED;
    return new Result(config.name(), status, files, bytes, fixedDirectories, via, skipped, conflictNote());
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
