package io.gosync.relay;

import io.gosync.fs.Names;
import io.gosync.relay.wire.DeltaBlocks;
import io.gosync.relay.wire.FrameEvents;
import io.gosync.relay.wire.FrameParser;
import io.gosync.relay.wire.Frames;
import io.gosync.scan.Entry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local branch of a relay node's tee: lands each file of the stream atomically, as the {@link FrameParser} reports
 * it. Small files are gathered in memory and landed in one blocking step each, several at a time; large ones, and the
 * blocks of a delta, stream through a {@link LandingFile}. It never fails a write: when the local disk fails it records
 * why, removes its temporary files (a stream that stops keeps what came of a large file, for a later task) and ignores
 * the rest of the stream, so the children keep receiving. A file the source skips is not landed: its temporary file, if
 * any, is removed and the stream goes on; the summary names it.
 */
final class LandingSink extends QuietSink implements FrameEvents {

  private static final Logger LOG = LoggerFactory.getLogger(LandingSink.class);

  private final ReceivePlan plan;
  private final WorkerLanding landing;
  private final FrameParser parser = new FrameParser(this);
  private final Promise<StreamTally.Summary> result = Promise.promise();
  private final StreamTally tally;
  private final LandingSteps steps;

  /** The current file: gathered whole in memory if small, else written as it comes. */
  private int index;
  private Entry entry;
  private Buffer whole;
  private LandingFile large;
  /** The current file's bytes all came: its check (or its skip) comes next. */
  private boolean complete;
  private boolean ended;
  private boolean finished;
  private String failure;
  private Handler<Void> drainHandler;
  private Promise<Boolean> parsed;

  LandingSink(Vertx vertx, ReceivePlan plan, Landing landing, RelayMetrics metrics) {
    this.steps = new LandingSteps(vertx.getOrCreateContext(), this::failHere);
    this.plan = plan;
    this.landing = new WorkerLanding(vertx, landing);
    this.tally = new StreamTally(plan, metrics);
  }

  Future<StreamTally.Summary> result() {
    return result.future();
  }

  /** What has come so far. */
  StreamTally tally() {
    return tally;
  }

  /** Whether the stream needs no more bytes (its end or an abort came, or landing stopped); false if cut short. */
  Future<Boolean> needsNoMore() {
    parsed = parser.isPaused() && !isOver() ? (parsed == null ? Promise.promise() : parsed) : null;
    return parsed == null ? Future.succeededFuture(isOver()) : parsed.future(); // known once the parser took all in
  }

  private boolean isOver() {
    return failure != null || finished || tally.hasEnded();
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (failure == null && !finished) {
      parser.handle(data);
    }
    return Future.succeededFuture();
  }

  @Override
  public void fileStarts(int index, long size, long from, boolean compressed, String hash, DeltaBlocks delta) {
    String refusal = tally.refusal(index, size, hash, delta);
    if (refusal != null) {
      badStream(refusal);
      return;
    }
    tally.started(index);
    this.index = index;
    this.entry = plan.manifest().entry(index);
    if (size > Frames.SMALL_FILE) {
      openLarge(delta == null ? LandingFile.Placement.whole(from, size)
          : LandingFile.Placement.delta(delta, plan.bases().byIndex().get(index)));
    } else {
      whole = Buffer.buffer((int) size);
      complete = size == 0;
    }
  }

  @Override
  public void fileData(Buffer data) {
    tally.bytes(data.length());
    if (whole != null) {
      whole.appendBuffer(data);
      complete = whole.length() == entry.size();
    } else {
      complete = large.write(data);
    }
  }

  @Override
  public void fileChecked(int index, int crc32c) {
    complete = false;
    if (whole != null) {
      landWhole(crc32c);
    } else if (failure == null) {
      landLarge(crc32c);
    }
  }

  @Override
  public void fileSkipped(int index, String reason) {
    String refusal = complete ? null : tally.refusal(index);
    if (complete) {
      complete = false;
      skipCurrent(reason);
    } else if (refusal != null) {
      badStream(refusal);
    } else {
      tally.skipped(index, plan.manifest().entry(index), reason);
    }
  }

  @Override
  public void streamEnds(long count) {
    tally.ended(count);
    if (steps.isIdle()) {
      finish();
    } else {
      parser.pause(); // until the last small file has landed: only then is the stream over
    }
  }

  @Override
  public void sourceAborts(String reason) {
    abort(reason.isEmpty() ? "the source aborted the stream" : "the source aborted the stream: " + reason);
  }

  @Override
  public void badStream(String reason) {
    abort("bad stream: " + reason);
  }

  /** The file's bytes have nowhere to go until its temporary file exists: parsing waits. */
  private void openLarge(LandingFile.Placement placement) {
    parser.pause();
    Entry file = entry;
    large = landing.open(file, placement, err -> failHere("cannot write " + Names.display(file.path()) + ": "
        + err.getMessage()), v -> maybeDrain());
    steps.later(large.opened(), open -> resume(), "cannot create a temporary file for " + Names.display(file.path()));
  }

  /** One large file at a time: parsing waits while it is closed, checked and renamed. */
  private void landLarge(int crc32c) {
    parser.pause();
    LandingFile written = large;
    Entry file = entry;
    large = null; // no more writes or drain handlers on it
    steps.landing(landing.commit(written, file, crc32c), unbuilt -> {
      tally.committed(file, written.placement().basis(), unbuilt);
      resume();
    }, "cannot land " + Names.display(file.path()));
  }

  /** The source says the current file, whose bytes all came, changed while read: its temporary file goes. */
  private void skipCurrent(String reason) {
    Entry file = entry;
    LandingFile changed = large;
    large = null;
    whole = null;
    tally.skipped(index, file, reason);
    if (changed != null) {
      steps.landing(changed.discard(), v -> afterLanding(), "cannot remove " + Names.display(file.path()));
    }
  }

  /** A small file lands on a worker thread while the stream goes on; see {@link LandingSteps#IN_FLIGHT}. */
  private void landWhole(int crc32c) {
    Entry file = entry;
    Future<Void> step = landing.whole(index, file, whole.getBytes(), crc32c);
    whole = null;
    steps.landing(step, v -> {
      tally.landed(file);
      afterLanding();
    }, "cannot land " + Names.display(file.path()));
  }

  /** A file landed or was discarded: the stream may be over, else there may be room again. */
  private void afterLanding() {
    if (failure == null && tally.hasEnded() && steps.isIdle()) {
      finish();
      resume();
    } else {
      maybeDrain();
    }
  }

  /** The whole stream came; a file that could not be built from its old version has this node fed again. */
  private void finish() {
    VertxException trouble = tally.trouble();
    if (trouble != null) {
      fail(trouble, true);
      return;
    }
    finished = true;
    result.tryComplete(tally.summary());
  }

  private void resume() {
    parser.resume();
    if (!parser.isPaused()) {
      if (ended) {
        checkEnded();
      }
      answerParsed();
      maybeDrain();
    }
  }

  private void answerParsed() {
    Promise<Boolean> waiting = parsed;
    parsed = null;
    if (waiting != null) {
      waiting.complete(isOver());
    }
  }

  /** Tells the tee we have room again; it checks the other branches before resuming the parent. */
  private void maybeDrain() {
    if (drainHandler != null && !writeQueueFull()) {
      drainHandler.handle(null);
    }
  }

  /** Stops landing (the task was aborted, or the stream or this node failed); the stream is ignored from here on. */
  void abort(String reason) {
    fail(new VertxException(reason, true), true);
  }

  /** This node's disk failed (a write, a landing): what came of a large file goes, since a full disk would stay full. */
  private void failHere(String reason) {
    fail(new VertxException(reason, true), false);
  }

  private void fail(VertxException cause, boolean keepLarge) {
    if (failure != null || finished) {
      return;
    }
    failure = cause.getMessage();
    parser.stop();
    answerParsed();
    Future<Void> kept = large == null ? Future.succeededFuture() : keepLarge ? large.keep() : large.discard();
    large = null;
    whole = null;
    kept.eventually(steps::settled).onComplete(done -> result.tryFail(cause));
    maybeDrain();
  }

  private void checkEnded() {
    if (!finished && failure == null) {
      LOG.debug("task {}: the stream ended early: {}, last {}", plan.taskId(), tally.progress(),
          entry == null ? null : Names.display(entry.path()));
      fail(new StreamCutOff("the stream from the parent ended before its end frame"), true);
    }
  }

  @Override
  public boolean writeQueueFull() {
    return failure == null && (parser.isPaused() || steps.isFull() || (large != null && large.writeQueueFull()));
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    drainHandler = handler;
    return this;
  }

  @Override
  public Future<Void> end() {
    ended = true;
    if (!parser.isPaused()) {
      checkEnded();
    }
    return Future.succeededFuture();
  }
}
