package io.gosync.relay;

import io.gosync.relay.wire.FrameParser;
import io.gosync.relay.wire.Frames;
import io.gosync.scan.Entry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * The local branch of a relay node's tee: lands each file of the stream atomically, as the
 * {@link FrameParser} reports it. Small files are gathered in memory and landed in one blocking
 * step each, several at a time; large ones stream through a {@link LandingFile}. It never fails
 * a write: when the local disk fails it records why, removes its temporary files and ignores the
 * rest of the stream, so the children keep receiving.
 */
final class LandingSink extends QuietSink implements FrameParser.Events {

  private static final Logger LOG = LoggerFactory.getLogger(LandingSink.class);

  private final Vertx vertx;
  private final ReceivePlan plan;
  private final Landing landing;
  private final FrameParser parser = new FrameParser(this);
  private final Promise<StreamTally.Summary> result = Promise.promise();
  private final StreamTally tally;
  private final LandingSteps steps;

  /** The current file: gathered whole in memory if small, else written as it comes. */
  private int index;
  private Entry entry;
  private Buffer whole;
  private LandingFile large;
  private boolean ended;
  private boolean finished;
  private String failure;
  private Handler<Void> drainHandler;

  LandingSink(Vertx vertx, ReceivePlan plan, RelayMetrics metrics) {
    this.vertx = vertx;
    this.steps = new LandingSteps(vertx.getOrCreateContext(), this::fail);
    this.plan = plan;
    this.landing = new Landing(plan.dst(), plan.manifest().singleFile(), plan.taskId());
    this.tally = new StreamTally(plan, metrics);
  }

  Future<StreamTally.Summary> result() {
    return result.future();
  }

  long files() {
    return tally.files();
  }

  long bytes() {
    return tally.bytes();
  }

  /** Stops landing (the task was aborted); the stream is ignored from here on. */
  void abort(String reason) {
    fail(reason);
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (failure == null && !finished) {
      parser.handle(data);
    }
    return Future.succeededFuture();
  }

  @Override
  public void fileStarts(int index, long size, boolean compressed, String hash) {
    String refusal = tally.refusal(index);
    if (refusal != null) {
      badStream(refusal);
      return;
    }
    Entry next = plan.manifest().entry(index);
    if (size != next.size() || !hash.equals(next.hash())) {
      badStream("file " + next.path() + " does not match the manifest");
      return;
    }
    this.index = index;
    this.entry = next;
    if (size > Frames.SMALL_FILE) {
      openLarge();
    } else {
      whole = Buffer.buffer((int) size);
      if (size == 0) {
        landWhole();
      }
    }
  }

  @Override
  public void fileData(Buffer data) {
    tally.bytes(data.length());
    if (whole != null) {
      whole.appendBuffer(data);
      if (whole.length() == entry.size()) {
        landWhole();
      }
    } else if (large.write(data) && failure == null) {
      landLarge();
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
    fail(reason.isEmpty() ? "the source aborted the stream" : "the source aborted the stream: " + reason);
  }

  @Override
  public void badStream(String reason) {
    fail("bad stream: " + reason);
  }

  /** The file's bytes have nowhere to go until its temporary file exists: parsing waits. */
  private void openLarge() {
    parser.pause();
    int at = index;
    Entry file = entry;
    large = new LandingFile(vertx, vertx.executeBlocking(() -> landing.temporary(at, file), false), file.size(),
        err -> fail("cannot write " + file.path() + ": " + err.getMessage()), v -> maybeDrain());
    steps.later(large.opened(), open -> resume(), "cannot create a temporary file for " + file.path());
  }

  /** One large file at a time: parsing waits while it is closed, checked and renamed. */
  private void landLarge() {
    parser.pause();
    LandingFile written = large;
    int at = index;
    Entry file = entry;
    large = null; // no more writes or drain handlers on it
    Future<Void> step = written.close().compose(hash -> vertx.executeBlocking(() -> {
      landing.commit(written.temp(), file, hash);
      return null;
    }, false));
    steps.landing(step, v -> {
      tally.landed(at, file);
      resume();
    }, "cannot land " + file.path());
  }

  /** A small file lands on a worker thread while the stream goes on; see {@link LandingSteps#IN_FLIGHT}. */
  private void landWhole() {
    byte[] data = whole.getBytes();
    int at = index;
    Entry file = entry;
    whole = null;
    Future<Void> step = vertx.executeBlocking(() -> {
      landing.landWhole(at, file, data);
      return null;
    }, false);
    steps.landing(step, v -> {
      tally.landed(at, file);
      if (failure == null && tally.hasEnded() && steps.isIdle()) {
        finish();
        resume();
      } else {
        maybeDrain();
      }
    }, "cannot land " + file.path());
  }

  private void finish() {
    String shortfall = tally.shortfall();
    if (shortfall != null) {
      badStream(shortfall);
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
      maybeDrain();
    }
  }

  /** Tells the tee we have room again; it checks the other branches before resuming the parent. */
  private void maybeDrain() {
    if (drainHandler != null && !writeQueueFull()) {
      drainHandler.handle(null);
    }
  }

  private void fail(String reason) {
    if (failure != null || finished) {
      return;
    }
    failure = reason;
    parser.stop();
    Future<Void> discarded = large == null ? Future.succeededFuture() : large.discard();
    large = null;
    whole = null;
    Future<?> landed = steps.settled();
    discarded.eventually(() -> landed).onComplete(done -> result.tryFail(reason));
    maybeDrain();
  }

  private void checkEnded() {
    if (!finished && failure == null) {
      LOG.debug("task {}: the stream ended early: {}, last {}", plan.taskId(), tally.progress(),
          entry == null ? null : entry.path());
      fail("the stream from the parent ended before its end frame");
    }
  }

  @Override
  public boolean writeQueueFull() {
    return failure == null
        && (parser.isPaused() || steps.isFull() || (large != null && large.writeQueueFull()));
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
