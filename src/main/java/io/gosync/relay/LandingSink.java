package io.gosync.relay;

import com.github.luben.zstd.Zstd;
import io.gosync.relay.wire.Frames;
import io.gosync.scan.Entry;
import io.gosync.scan.FileFacts;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.WriteStream;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.BitSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The local branch of a relay node's tee: parses the body of the stream and lands each file
 * atomically. Small files are gathered in memory and landed in one blocking step; large ones
 * stream through an AsyncFile whose queue gives backpressure. It never fails a write: when the
 * local disk fails it records why, removes its temporary file and ignores the rest of the
 * stream, so the children keep receiving.
 */
final class LandingSink extends QuietSink {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LandingSink.class);

  record Summary(long files, long bytes) {
  }

  /**
   * Large files reach the disk in writes of this size. Each AsyncFile write is a hop to a worker
   * thread; one per network read (a few KiB to 64 KiB) made those hops the largest CPU cost of a
   * relay node (measured: 7 s of worker CPU per 1.3 GiB landed).
   */
  static final int WRITE_BATCH = 512 << 10;
  /** Room for a few batches in flight, so the network keeps flowing while one is written. */
  private static final int WRITE_QUEUE = 4 * WRITE_BATCH;

  /**
   * Small files land on worker threads while parsing goes on, up to this many at once. Landing
   * one at a time paused the tee for every small file (~1 ms each), and in a chain each node's
   * pauses held back every node above it.
   */
  static final int LANDINGS_IN_FLIGHT = 8;

  private enum State { FRAME, FILE_HEADER, RAW, CHUNK_HEADER, CHUNK_DATA, END, ABORT_LENGTH, ABORT_TEXT, DONE }

  private final Vertx vertx;
  private final Context context;
  private final ReceivePlan plan;
  private final Landing landing;
  private final Promise<Summary> result = Promise.promise();
  private final BitSet received = new BitSet();

  private State state = State.FRAME;
  private Buffer gathered = Buffer.buffer();
  private int gatherTarget;
  private Buffer pending;
  private boolean busy;
  /** Small files still landing; the end frame waits for them. */
  private final Set<Future<Void>> landings = new HashSet<>();
  private boolean awaitingLandings;
  private boolean ended;
  private String failure;
  private Handler<Void> drainHandler;

  private int index;
  private Entry entry;
  private long remaining;
  private boolean compressed;
  private int chunkRawLength;
  private MessageDigest digest;
  private Buffer whole;
  private Buffer batch;
  private AsyncFile file;
  private Path temp;

  private long files;
  private long bytes;

  LandingSink(Vertx vertx, ReceivePlan plan) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.plan = plan;
    this.landing = new Landing(plan.dst(), plan.manifest().singleFile(), plan.taskId());
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
    if (failure != null || state == State.DONE) {
      return Future.succeededFuture();
    }
    if (busy) {
      pending = pending == null ? data.copy() : pending.appendBuffer(data);
    } else {
      consume(data, 0);
    }
    return Future.succeededFuture();
  }

  private void consume(Buffer buffer, int start) {
    int pos = start;
    while (pos < buffer.length() && !busy && failure == null && state != State.DONE) {
      pos = switch (state) {
        case FRAME -> frame(buffer.getByte(pos), pos + 1);
        case RAW -> raw(buffer, pos);
        default -> gather(buffer, pos);
      };
    }
    if (busy && pos < buffer.length()) {
      Buffer rest = buffer.slice(pos, buffer.length());
      pending = pending == null ? rest.copy() : pending.appendBuffer(rest);
    }
  }

  private int frame(byte type, int next) {
    switch (type) {
      case Frames.FILE -> expect(State.FILE_HEADER, Frames.FILE_HEADER_BYTES);
      case Frames.END -> {
        if (!landings.isEmpty()) {
          awaitingLandings = true; // parse the end frame again once every small file has landed
          busy = true;
          return next - 1;
        }
        expect(State.END, 8);
      }
      case Frames.ABORT -> expect(State.ABORT_LENGTH, 4);
      default -> fail("bad stream: unknown frame type " + type);
    }
    return next;
  }

  private void expect(State next, int length) {
    state = next;
    gatherTarget = length;
    gathered = Buffer.buffer(Math.min(length, 1 << 16));
  }

  private int gather(Buffer buffer, int pos) {
    int take = Math.min(gatherTarget - gathered.length(), buffer.length() - pos);
    gathered.appendBuffer(buffer, pos, take);
    if (gathered.length() == gatherTarget) {
      onGathered(gathered);
    }
    return pos + take;
  }

  private void onGathered(Buffer frame) {
    switch (state) {
      case FILE_HEADER -> startFile(frame);
      case CHUNK_HEADER -> startChunk(frame.getInt(0), frame.getInt(4));
      case CHUNK_DATA -> inflate(frame);
      case END -> finishStream(frame.getLong(0));
      case ABORT_LENGTH -> {
        int length = frame.getInt(0);
        if (length < 0 || length > Frames.MAX_ABORT_TEXT) {
          fail("bad stream: abort text of " + length + " bytes");
        } else if (length == 0) {
          fail("the source aborted the stream");
        } else {
          expect(State.ABORT_TEXT, length);
        }
      }
      case ABORT_TEXT -> fail("the source aborted the stream: " + frame.toString(StandardCharsets.UTF_8));
      default -> fail("bad stream: unexpected state " + state);
    }
  }

  private void startFile(Buffer header) {
    index = header.getInt(0);
    long size = header.getLong(4);
    compressed = (header.getByte(12) & Frames.COMPRESSED) != 0;
    String hash = HexFormat.of().formatHex(header.getBytes(13, 45));
    if (index < 0 || index >= plan.manifest().size() || !plan.need().contains(index) || received.get(index)) {
      fail("bad stream: file index " + index + " was not asked for");
      return;
    }
    entry = plan.manifest().entry(index);
    if (size != entry.size() || !hash.equals(entry.hash())) {
      fail("bad stream: file " + entry.path() + " does not match the manifest");
      return;
    }
    remaining = size;
    digest = FileFacts.sha256();
    if (size <= Frames.SMALL_FILE) {
      whole = Buffer.buffer((int) size);
      afterData();
      return;
    }
    busy = true;
    Future<AsyncFile> opened = vertx.executeBlocking(() -> landing.temporary(index, entry), false)
        .compose(path -> {
          temp = path;
          return vertx.fileSystem().open(path.toString(), new OpenOptions().setCreateNew(true).setWrite(true));
        });
    later(opened, open -> {
      file = open;
      file.setWriteQueueMaxSize(WRITE_QUEUE);
      batch = Buffer.buffer(WRITE_BATCH);
      file.exceptionHandler(err -> fail("cannot write " + entry.path() + ": " + err.getMessage()));
      file.drainHandler(v -> maybeDrain());
      afterData();
      resume();
    }, "cannot create a temporary file for " + entry.path());
  }

  private int raw(Buffer buffer, int pos) {
    int take = (int) Math.min(remaining, buffer.length() - pos);
    accept(buffer.slice(pos, pos + take));
    return pos + take;
  }

  private void startChunk(int rawLength, int packedLength) {
    if (rawLength <= 0 || rawLength > remaining || rawLength > Frames.MAX_CHUNK
        || packedLength <= 0 || packedLength > Zstd.compressBound(rawLength)) {
      fail("bad stream: bad chunk of " + rawLength + "/" + packedLength + " bytes");
      return;
    }
    chunkRawLength = rawLength;
    expect(State.CHUNK_DATA, packedLength);
  }

  private void inflate(Buffer packed) {
    byte[] raw;
    try {
      raw = Zstd.decompress(packed.getBytes(), chunkRawLength);
    } catch (RuntimeException e) {
      fail("bad stream: cannot decompress " + entry.path() + ": " + e.getMessage());
      return;
    }
    if (raw.length != chunkRawLength) {
      fail("bad stream: chunk of " + entry.path() + " inflated to the wrong size");
      return;
    }
    accept(Buffer.buffer(raw));
  }

  private void accept(Buffer data) {
    remaining -= data.length();
    bytes += data.length();
    if (whole != null) {
      whole.appendBuffer(data);
    } else {
      batch.appendBuffer(data);
      if (batch.length() >= WRITE_BATCH || remaining == 0) {
        writeBatch();
      }
    }
    afterData();
  }

  private void writeBatch() {
    Buffer full = batch;
    batch = Buffer.buffer(WRITE_BATCH);
    digest.update(full.getBytes());
    file.write(full).onFailure(err -> fail("cannot write " + entry.path() + ": " + err.getMessage()));
  }

  /** Decides what comes next for the current file: more data, or landing it. */
  private void afterData() {
    if (remaining == 0) {
      land();
    } else if (compressed) {
      expect(State.CHUNK_HEADER, Frames.CHUNK_HEADER_BYTES);
    } else {
      state = State.RAW;
    }
  }

  private void land() {
    state = State.FRAME;
    if (whole != null) {
      landWhole();
      return;
    }
    busy = true;
    String hash = HexFormat.of().formatHex(digest.digest());
    Path written = temp;
    Entry landingEntry = entry;
    AsyncFile closing = file;
    file = null; // no more writes or drain handlers on it
    Future<Void> landed = closing.close().compose(v -> vertx.executeBlocking(() -> {
      landing.commit(written, landingEntry, hash);
      return null;
    }, false));
    later(landed, v -> {
      files++;
      received.set(index);
      clearFile();
      resume();
    }, "cannot land " + entry.path());
  }

  /** A small file lands on a worker thread while the stream goes on; see {@link #LANDINGS_IN_FLIGHT}. */
  private void landWhole() {
    byte[] data = whole.getBytes();
    int landingIndex = index;
    Entry landingEntry = entry;
    clearFile();
    Future<Void> landed = vertx.executeBlocking(() -> {
      landing.landWhole(landingIndex, landingEntry, data);
      return null;
    }, false);
    landings.add(landed);
    later(landed, v -> {
      landings.remove(landed);
      files++;
      received.set(landingIndex);
      if (awaitingLandings && landings.isEmpty()) {
        awaitingLandings = false;
        resume();
      } else {
        maybeDrain();
      }
    }, "cannot land " + landingEntry.path());
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

  private void clearFile() {
    whole = null;
    batch = null;
    file = null;
    temp = null;
    digest = null;
  }

  private void finishStream(long count) {
    if (count != received.cardinality() || !plan.need().sameAs(received)) {
      fail("bad stream: it ended with " + received.cardinality() + " of " + plan.need().size() + " files");
      return;
    }
    state = State.DONE;
    result.tryComplete(new Summary(files, bytes));
  }

  private void resume() {
    busy = false;
    Buffer rest = pending;
    pending = null;
    if (rest != null) {
      consume(rest, 0);
    }
    if (!busy) {
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
    if (failure != null || state == State.DONE) {
      return;
    }
    failure = reason;
    busy = false;
    pending = null;
    AsyncFile open = file;
    Path leftover = temp;
    clearFile();
    Future<Void> closed = open == null ? Future.succeededFuture() : open.close().recover(err -> Future.succeededFuture());
    // Small files still landing either land whole or remove their temporary file; the failure
    // is reported once they have, so a failed target is never seen with one left behind.
    Future<?> landed = Future.join(List.copyOf(landings)).otherwiseEmpty();
    closed.compose(v -> vertx.executeBlocking(() -> leftover != null && Files.deleteIfExists(leftover), false))
        .eventually(() -> landed)
        .onComplete(done -> result.tryFail(reason));
    maybeDrain();
  }

  private void checkEnded() {
    if (state != State.DONE) {
      LOG.debug("stream ended early: state {}, busy {}, file {}, remaining {}, received {}", state, busy,
          entry == null ? null : entry.path(), remaining, received.cardinality());
      fail("the stream from the parent ended before its end frame");
    }
  }

  @Override
  public boolean writeQueueFull() {
    return failure == null && (busy || landings.size() >= LANDINGS_IN_FLIGHT || (file != null && file.writeQueueFull()));
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    drainHandler = handler;
    return this;
  }

  @Override
  public Future<Void> end() {
    ended = true;
    if (!busy) {
      checkEnded();
    }
    return Future.succeededFuture();
  }
}
