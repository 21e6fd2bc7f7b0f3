package io.gosync.relay;

import io.gosync.relay.RelayMessages.SendOutcome;
import io.gosync.relay.RelayMessages.SendRequest;
import io.gosync.relay.wire.Frames;
import io.gosync.scan.Entry;
import io.gosync.fs.Dir;
import io.gosync.fs.OpenFile;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.WriteStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The source's side of one group: reads each needed file once and writes its frame to the tee
 * of the top-level children. Small files are read whole; large ones are piped from an AsyncFile
 * with backpressure. With compression every chunk is compressed here, once, and relays forward
 * the compressed bytes unchanged.
 */
final class GroupSender {

  private static final Logger LOG = LoggerFactory.getLogger(GroupSender.class);

  private final Vertx vertx;
  private final SendRequest request;
  private final TeeWriteStream tee;
  private final int level;
  private final RelayMetrics metrics;
  private final EntryLocator source;
  private long files;
  private long bytes;

  GroupSender(Vertx vertx, SendRequest request, TeeWriteStream tee, int level, RelayMetrics metrics) {
    this.vertx = vertx;
    this.request = request;
    this.tee = tee;
    this.level = level;
    this.metrics = metrics;
    this.source = EntryLocator.of(request.src(), request.manifest().singleFile());
  }

  Future<SendOutcome> run() {
    Promise<Void> sent = Promise.promise();
    sendFrom(request.need().next(0), sent);
    return sent.future()
        .compose(v -> tee.write(Frames.end(files)))
        .recover(err -> tee.write(Frames.abort(err.getMessage())).compose(v -> Future.failedFuture(err)))
        .eventually(tee::end)
        .onComplete(v -> LOG.debug("task {}: sent {} files, {} stream bytes", request.taskId(), files, tee.written()))
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
    drained().compose(v -> vertx.executeBlocking(() -> open(entry), false)).compose(file -> {
      tee.write(Frames.file(index, entry, request.compress()));
      String path = file.path().toString();
      return (entry.size() <= Frames.SMALL_FILE ? sendWhole(path, entry) : sendStream(path, entry))
          .eventually(() -> {
            file.close();
            return Future.succeededFuture();
          });
    }).onSuccess(v -> {
      files++;
      bytes += entry.size();
      metrics.sent(entry.size());
      vertx.runOnContext(next -> sendFrom(request.need().next(index + 1), sent));
    }).onFailure(sent::fail);
  }

  /** Opens a source file by handle (see {@link EntryLocator}): never through a link swapped in since the scan. */
  private OpenFile open(Entry entry) throws IOException {
    try (Dir parent = source.openParent(entry)) {
      return parent.open(source.name(entry));
    }
  }

  private Future<Void> sendWhole(String path, Entry entry) {
    return vertx.fileSystem().readFile(path).compose(data -> {
      if (data.length() != entry.size()) {
        return Future.failedFuture(changed(entry));
      }
      if (data.length() > 0) {
        tee.write(request.compress() ? Frames.chunk(data, level) : data);
      }
      return Future.succeededFuture();
    });
  }

  private Future<Void> sendStream(String path, Entry entry) {
    return vertx.fileSystem().open(path, new OpenOptions().setRead(true).setWrite(false))
        .compose(file -> {
          file.setReadLength(entry.size()).setReadBufferSize(request.compress() ? Frames.SMALL_FILE : 1 << 16);
          CountingStream counter = new CountingStream(request.compress() ? new Compressing(tee, level) : tee);
          return file.pipe().endOnSuccess(false).endOnFailure(false).to(counter)
              .eventually(file::close)
              .compose(v -> counter.count == entry.size()
                  ? Future.succeededFuture()
                  : Future.failedFuture(changed(entry)));
        });
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

  private static String changed(Entry entry) {
    return "source file " + entry.path() + " changed size during the sync";
  }

  /** Counts the bytes that pass, to catch a source file that shrank while it was read. */
  private static final class CountingStream extends ForwardingStream {
    long count;

    CountingStream(WriteStream<Buffer> next) {
      super(next);
    }

    @Override
    public Future<Void> write(Buffer data) {
      count += data.length();
      return next.write(data);
    }
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
  private abstract static class ForwardingStream extends QuietSink {
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
