package io.gosync.relay;

import io.gosync.fs.Names;
import io.gosync.fs.OpenFile;
import io.gosync.fs.Stat;
import io.gosync.relay.RelayMessages.SendOutcome;
import io.gosync.relay.RelayMessages.SendRequest;
import io.gosync.relay.wire.DeltaBlocks;
import io.gosync.relay.wire.Frames;
import io.gosync.scan.Entry;
import io.gosync.scan.EntryLocator;
import io.gosync.scan.FileFacts;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;


/**
 * The source's side of one group: reads each needed file once and writes its frame to the tee
 * of the top-level children. Small files are read whole, several ahead ({@link SmallFileReads});
 * large ones are read in pieces with backpressure ({@link SourceFile}). With compression every chunk is compressed here, once, and relays forward
 * the compressed bytes unchanged. A file that cannot be read, or that is not as in the manifest
 * (its size or the SHA-256 of what was read differ), is skipped with a skip frame (see
 * {@link Frames}) and the stream goes on: every target in the group lacks that one file.
 */
final class GroupSender {

  private static final Logger LOG = LoggerFactory.getLogger(GroupSender.class);

  private final Vertx vertx;
  private final SendRequest request;
  private final TeeWriteStream tee;
  private final int level;
  private final RelayMetrics metrics;
  private final EntryLocator source;
  private final SmallFileReads smallFiles;
  private long files;
  private long skipped;
  private long bytes;

  GroupSender(Vertx vertx, SendRequest request, TeeWriteStream tee, int level, RelayMetrics metrics) {
    this.vertx = vertx;
    this.request = request;
    this.tee = tee;
    this.level = level;
    this.metrics = metrics;
    this.source = EntryLocator.of(request.src(), request.manifest().singleFile());
    this.smallFiles = new SmallFileReads(vertx, request.manifest(), request.scanBegan(), request.need(), source,
        request.compress() ? level : null);
  }

  Future<SendOutcome> run() {
    Promise<Void> sent = Promise.promise();
    sendFrom(request.need().next(0), sent);
    return sent.future()
        .compose(v -> tee.write(Frames.end(files + skipped)))
        .recover(err -> tee.write(Frames.abort(err.getMessage())).compose(v -> Future.failedFuture(err)))
        .eventually(tee::end)
        .onComplete(v -> LOG.debug("task {}: sent {} files, skipped {}, {} stream bytes", request.taskId(), files,
            skipped, tee.written()))
        .map(v -> new SendOutcome(files, bytes));
  }

  /**
   * One file at a time. The next file starts on a later turn of the event loop: a step that is
   * already complete would otherwise run its continuation at once, and the stack would grow
   * with the number of files.
   */
  private void sendFrom(int index, Promise<Void> sent) {
    if (index < 0 || tee.isEmpty()) {
      sent.complete();
      return;
    }
    Entry entry = request.manifest().entry(index);
    Future<Boolean> step = drained()
        .compose(v -> entry.size() <= Frames.SMALL_FILE ? sendWhole(index, entry) : sendLarge(index, entry));
    step.onSuccess(whole -> {
      if (whole) {
        DeltaBlocks delta = delta(index, entry);
        long streamed = delta != null ? delta.bytes() : entry.size() - request.partials().held(index);
        files++;
        bytes += streamed;
        metrics.sent(streamed);
      } else {
        skipped++;
      }
      vertx.runOnContext(next -> sendFrom(request.need().next(index + 1), sent));
    }).onFailure(sent::fail);
  }

  /**
   * Sends a small file read ahead whole, or its skip when it is not as in the manifest: its hash is checked
   * before a byte is sent, so the receiver never holds a small file that may be skipped.
   */
  private Future<Boolean> sendWhole(int index, Entry entry) {
    return smallFiles.take(index).map(read -> {
      tee.write(read.frames());
      if (read.trouble() != null) {
        logSkip(entry, read.trouble());
      }
      return read.trouble() == null;
    });
  }

  /** The blocks of a file the group builds from old versions, or null for one sent whole. */
  private DeltaBlocks delta(int index, Entry entry) {
    return request.deltas().has(index) ? DeltaBlocks.of(entry.size(), request.deltas().missing(index)) : null;
  }

  /**
   * Opens a large file by handle (see {@link EntryLocator}) and sends it, or its missing blocks, or its skip when it
   * cannot be opened.
   */
  private Future<Boolean> sendLarge(int index, Entry entry) {
    DeltaBlocks delta = delta(index, entry);
    return vertx.executeBlocking(() -> Opened.of(source.open(entry)), false)
        .compose(opened -> (delta != null ? sendDelta(index, opened, entry, delta) : sendStream(index, opened, entry))
            .eventually(() -> {
          opened.file().close();
          return Future.succeededFuture();
        }), err -> skip(index, entry, SourceRead.unreadable(err)));
  }

  /** A large source file, open, and its stat then. */
  private record Opened(OpenFile file, Stat stat) {
    static Opened of(OpenFile file) throws IOException {
      try {
        return new Opened(file, file.stat());
      } catch (IOException | RuntimeException e) {
        file.close();
        throw e;
      }
    }
  }

  /**
   * Pipes a large file, then its check: hashing what passes unless its stat shows it unchanged since the scan
   * ({@link FileFacts#unchangedSince}), and then its stat after the read must be as before. One that fails or
   * comes short part-way is completed with zero bytes, and one not as in the manifest is followed by its skip
   * instead (see {@link Frames}).
   */
  private Future<Boolean> sendStream(int index, Opened opened, Entry entry) {
    OpenFile file = opened.file();
    boolean unchanged = FileFacts.unchangedSince(opened.stat(), entry, request.scanBegan());
    long from = request.partials().held(index);
    tee.write(Frames.file(index, entry, from, request.compress()));
    // The start the receivers hold is read too when the file must be hashed: what they end with must be its.
    long readFrom = unchanged ? from : 0;
    SourceRead read = new SourceRead(request.compress() ? new Compressing(tee, level) : tee, !unchanged, readFrom,
        from);
    // Compressed chunks as large as a small file compress better; raw reads need not be.
    int readSize = request.compress() ? Frames.SMALL_FILE : SourceFile.READ_SIZE;
    return SourceFile.copy(vertx, file.path(), readFrom, entry.size(), readSize, read)
        .compose(copied -> vertx.executeBlocking(file::stat, false))
        .transform(after -> {
          String trouble = after.failed() ? SourceRead.unreadable(after.cause())
              : read.trouble(entry, after.result(), opened.stat());
          return checkOrSkip(index, entry, read, entry.size(), trouble);
        });
  }

  /**
   * Pipes the blocks of a large file that the receivers lack, span after span, then its check. Only those blocks are
   * read, so they are not hashed: the receivers verify the whole file they build by its SHA-256, and one that was
   * not the manifest's is fetched again whole. A stat that changed during the reads sends the skip instead.
   */
  private Future<Boolean> sendDelta(int index, Opened opened, Entry entry, DeltaBlocks delta) {
    Path path = opened.file().path();
    tee.write(Frames.delta(index, entry, delta, request.compress()));
    SourceRead read = new SourceRead(request.compress() ? new Compressing(tee, level) : tee, false, 0, 0);
    int readSize = request.compress() ? Frames.SMALL_FILE : SourceFile.READ_SIZE;
    Future<Long> copied = Future.succeededFuture();
    for (DeltaBlocks.Span span : delta.spans()) {
      copied = copied.compose(v -> SourceFile.copy(vertx, path, span.fileOffset(), span.fileOffset() + span.length(),
          readSize, read));
    }
    return copied.compose(copies -> vertx.executeBlocking(opened.file()::stat, false))
        .transform(after -> {
          String trouble = after.failed() ? SourceRead.unreadable(after.cause()) : read.count() != delta.bytes()
              || !after.result().equals(opened.stat()) ? "changed while it was read (its size or times changed)" : null;
          return checkOrSkip(index, entry, read, delta.bytes(), trouble);
        });
  }

  /**
   * The check of what was read, or, when {@code trouble} says it is not the manifest's file, zero bytes until the
   * read counts {@code end} (the frame promised that many) and the skip.
   */
  private Future<Boolean> checkOrSkip(int index, Entry entry, SourceRead read, long end, String trouble) {
    if (trouble == null) {
      tee.write(Frames.check(index, read.crc32c()));
      return Future.succeededFuture(true);
    }
    return pad(read, end - read.count()).compose(v -> skip(index, entry, trouble));
  }

  private Future<Boolean> skip(int index, Entry entry, String reason) {
    logSkip(entry, reason);
    tee.write(Frames.skip(index, reason));
    return Future.succeededFuture(false);
  }

  private void logSkip(Entry entry, String reason) {
    LOG.info("task {}: skipping {}: {}", request.taskId(), Names.display(entry.path()), reason);
  }

  /** Zero bytes up to the file's size, with backpressure, each write on a later turn so the stack stays flat. */
  private Future<Void> pad(WriteStream<Buffer> out, long missing) {
    if (missing <= 0) {
      return Future.succeededFuture();
    }
    int length = (int) Math.min(missing, Frames.SMALL_FILE);
    out.write(Buffer.buffer(new byte[length]));
    Promise<Void> later = Promise.promise();
    drained().onComplete(v -> vertx.runOnContext(next -> later.complete()));
    return later.future().compose(v -> pad(out, missing - length));
  }

  /** Waits, between files, until the slowest branch has room again. */
  private Future<Void> drained() {
    if (!tee.writeQueueFull()) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    tee.drainHandler(promise::tryComplete);
    return promise.future();
  }

  /** Turns raw reads into compressed chunk frames. */
  private static final class Compressing extends ForwardingStream {
    private final int level;

    Compressing(WriteStream<Buffer> next, int level) {
      super(next);
      this.level = level;
    }

    @Override
    public Future<Void> write(Buffer data) {
      return next.write(Frames.chunk(data, level));
    }
  }

  /** A write stream that passes flow control through to the next one. */
  abstract static class ForwardingStream extends QuietSink {
    final WriteStream<Buffer> next;

    ForwardingStream(WriteStream<Buffer> next) {
      this.next = next;
    }

    @Override
    public boolean writeQueueFull() {
      return next.writeQueueFull();
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      next.drainHandler(handler);
      return this;
    }

    @Override
    public Future<Void> end() {
      return Future.succeededFuture();
    }
  }
}
