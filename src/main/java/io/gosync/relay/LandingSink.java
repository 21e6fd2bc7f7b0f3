package io.gosync.relay;

import io.gosync.relay.wire.FrameParser;
import io.gosync.relay.wire.Frames;
import io.gosync.scan.Entry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The local branch of a relay node's tee: lands each file of the stream atomically, as the
 * {@link FrameParser} reports it. Small files are gathered in memory and landed in one blocking
 * step each, several at a time; large ones stream through a {@link LandingFile}. It never fails
 * a write: when the local disk fails it records why, removes its temporary files and ignores the
 * rest of the stream, so the children keep receiving.
 */
final class LandingSink extends QuietSink implements FrameParser.Events {

  private static final Logger LOG = LoggerFactory.getLogger(LandingSink.class);

  record Summary(long files, long bytes) {
  }

  /**
   * Small files land on worker threads while parsing goes on, up to this many at once. Landing
   * one at a time paused the tee for every small file (~1 ms each), and in a chain each node's
   * pauses held back every node above it.
   */
  static final int LANDINGS_IN_FLIGHT = 8;

  private final Vertx vertx;
  private final Context context;
  private final ReceivePlan plan;
  private final Landing landing;
  private final RelayMetrics metrics;
  private final FrameParser parser = new FrameParser(this);
  private final Promise<Summary> result = Promise.promise();
  private final BitSet received = new BitSet();
  /** Files on their way to their final name; the end of the stream, and a failure's report, wait for them. */
  private final Set<Future<Void>> landings = new HashSet<>();

  /** The current file: gathered whole in memory if small, else written as it comes. */
  private int index;
  private Entry entry;
  private Buffer whole;
  private LandingFile large;
  /** The end frame's count of files, once it has come. */
  private long endCount = -1;
  private boolean ended;
  private boolean finished;
  private String failure;
  private Handler<Void> drainHandler;
  private long files;
  private long bytes;

  LandingSink(Vertx vertx, ReceivePlan plan, Landing landing, RelayMetrics metrics) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.plan = plan;
    this.landing = landing;
    this.metrics = metrics;
  }

  Future<Summary> result() {
    return result.future();
  }

  long files() {
    return files;
  }

  long bytes() {
    return bytes;
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
    if (index < 0 || index >= plan.manifest().size() || !plan.need().contains(index) || received.get(index)) {
      badStream("file index " + index + " was not asked for");
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
    bytes += data.length();
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
    endCount = count;
    if (landings.isEmpty()) {
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
    large = new LandingFile(vertx, vertx.executeBlocking(() -> landing.create(at, file), false), file.size(),
        err -> fail("cannot write " + file.path() + ": " + err.getMessage()), v -> maybeDrain());
    later(large.opened(), open -> resume(), "cannot create a temporary file for " + file.path());
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
    landings.add(step);
    later(step, v -> {
      landings.remove(step);
      landed(at, file);
      resume();
    }, "cannot land " + file.path());
  }

  /** A small file lands on a worker thread while the stream goes on; see {@link #LANDINGS_IN_FLIGHT}. */
  private void landWhole() {
    byte[] data = whole.getBytes();
    int at = index;
    Entry file = entry;
    whole = null;
    Future<Void> step = vertx.executeBlocking(() -> {
      landing.landWhole(at, file, data);
      return null;
    }, false);
    landings.add(step);
    later(step, v -> {
      landings.remove(step);
      landed(at, file);
      if (failure == null && endCount >= 0 && landings.isEmpty()) {
        finish();
        resume();
      } else {
        maybeDrain();
      }
    }, "cannot land " + file.path());
  }

  private void landed(int at, Entry file) {
    files++;
    received.set(at);
    metrics.landed(file.size());
  }

  /**
   * Continues after an asynchronous step, always on a later turn of this sink's context. A step
   * can finish before its handler is attached (a tiny file lands that fast); continuing at once
   * would resume parsing, or check for the end of the stream, while an outer parse loop still
   * holds unparsed bytes.
   */
  private <T> void later(Future<T> step, Handler<T> next, String failing) {
    step.onComplete(done -> context.runOnContext(v -> {
      if (done.succeeded()) {
        next.handle(done.result());
      } else {
        fail(failing + ": " + done.cause().getMessage());
      }
    }));
  }

  private void finish() {
    if (endCount != received.cardinality() || !plan.need().sameAs(received)) {
      badStream("it ended with " + received.cardinality() + " of " + plan.need().size() + " files");
      return;
    }
    finished = true;
    result.tryComplete(new Summary(files, bytes));
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
    // Files still landing either land or remove their temporary file; the failure is reported
    // once they have, so a failed target is never seen with one left behind.
    Future<?> landed = Future.join(List.copyOf(landings)).otherwiseEmpty();
    discarded.eventually(() -> landed).onComplete(done -> result.tryFail(reason));
    maybeDrain();
  }

  private void checkEnded() {
    if (!finished && failure == null) {
      LOG.debug("task {}: the stream ended early: {} of {} files landed, last {}", plan.taskId(),
          received.cardinality(), plan.need().size(), entry == null ? null : entry.path());
      fail("the stream from the parent ended before its end frame");
    }
  }

  @Override
  public boolean writeQueueFull() {
    return failure == null
        && (parser.isPaused() || landings.size() >= LANDINGS_IN_FLIGHT || (large != null && large.writeQueueFull()));
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
