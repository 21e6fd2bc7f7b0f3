package io.gosync.relay;

import io.gosync.scan.FileFacts;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;

import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * One large received file on its way to disk: its temporary file, written in batches through an
 * AsyncFile whose queue gives backpressure, and the SHA-256 of what was written. Used on one
 * context, like the sink that owns it.
 */
final class LandingFile {

  /**
   * Large files reach the disk in writes of this size. Each AsyncFile write is a hop to a worker
   * thread; one per network read (a few KiB to 64 KiB) made those hops the largest CPU cost of a
   * relay node (measured: 7 s of worker CPU per 1.3 GiB landed).
   */
  static final int WRITE_BATCH = 512 << 10;
  /** Room for a few batches in flight, so the network keeps flowing while one is written. */
  private static final int WRITE_QUEUE = 4 * WRITE_BATCH;

  private final Vertx vertx;
  private final Handler<Throwable> failed;
  private final MessageDigest digest = FileFacts.sha256();
  private final Future<AsyncFile> opened;
  private Landing.Temporary temp;
  private AsyncFile file;
  private Buffer batch = Buffer.buffer(WRITE_BATCH);
  private long remaining;
  private Throwable writeFailure;

  /**
   * Writes to the temporary file once it is created (new, by handle: never through an existing
   * file or link). {@code failed} hears of a failed write, {@code drained} of room in the write queue.
   */
  LandingFile(Vertx vertx, Future<Landing.Temporary> created, long size, Handler<Throwable> failed,
      Handler<Void> drained) {
    this.vertx = vertx;
    this.failed = failed;
    this.remaining = size;
    this.opened = created.compose(made -> {
      temp = made;
      return vertx.fileSystem().open(made.file().path().toString(),
          new OpenOptions().setRead(false).setWrite(true).setCreate(false));
    }).onSuccess(open -> {
      file = open;
      file.setWriteQueueMaxSize(WRITE_QUEUE);
      file.exceptionHandler(failed);
      file.drainHandler(drained);
    });
  }

  /** Completes once the file can be written. */
  Future<Void> opened() {
    return opened.mapEmpty();
  }

  Landing.Temporary temp() {
    return temp;
  }

  /** @return whether that was the file's last byte */
  boolean write(Buffer data) {
    remaining -= data.length();
    batch.appendBuffer(data);
    if (batch.length() >= WRITE_BATCH || remaining == 0) {
      Buffer full = batch;
      batch = remaining == 0 ? null : Buffer.buffer(WRITE_BATCH);
      digest.update(full.getBytes());
      file.write(full).onFailure(err -> {
        writeFailure = err;
        failed.handle(err);
      });
    }
    return remaining == 0;
  }

  boolean writeQueueFull() {
    return file != null && file.writeQueueFull();
  }

  /**
   * Closes the file after its last byte and gives the SHA-256 of what was written. A failed write
   * would not show in that hash (it covers what was handed to the file), so then, as when the
   * close fails, the file is removed instead.
   */
  Future<String> close() {
    return file.close()
        .compose(v -> writeFailure == null
            ? Future.succeededFuture(HexFormat.of().formatHex(digest.digest()))
            : Future.<String>failedFuture(writeFailure))
        .recover(err -> delete().transform(deleted -> Future.failedFuture(err)));
  }

  /** Closes and removes the temporary file, whether or not it was ever opened; never fails. */
  Future<Void> discard() {
    return opened.transform(open -> open.succeeded() ? file.close() : Future.succeededFuture())
        .transform(closed -> delete())
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  private Future<Void> delete() {
    Landing.Temporary leftover = temp;
    return vertx.executeBlocking(() -> {
      if (leftover != null) {
        leftover.discard();
      }
      return null;
    }, false);
  }
}
