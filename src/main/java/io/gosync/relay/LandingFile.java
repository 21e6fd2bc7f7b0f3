package io.gosync.relay;

import io.gosync.relay.wire.DeltaBlocks;
import io.gosync.scan.Basis;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.List;

/**
 * One large received file on its way to disk: its temporary file, written in batches on worker
 * threads, one batch after another, with a bounded number queued for backpressure; and the checks
 * of what was written ({@link ReceivedBytes}), computed on those threads beside each write. Used on one
 * context, like the sink that owns it.
 *
 * <p>Batches are direct buffers from Netty's pool: the file channel writes them without the copy
 * into a temporary direct buffer it makes of a heap buffer, and the checksum reads them in place. On
 * loopback (1 GiB through a relay, TLS) the old path of a heap batch, {@code getBytes()} for a digest
 * and an AsyncFile spent 9 % of a receiving node's CPU in those two copies and the zeroing of their
 * arrays.
 */
final class LandingFile {

  /**
   * Large files reach the disk in writes of this size. Each write is a hop to a worker thread; one
   * per network read (a few KiB to 64 KiB) made those hops the largest CPU cost of a relay node
   * (measured: 7 s of worker CPU per 1.3 GiB landed).
   */
  static final int WRITE_BATCH = 512 << 10;
  /** Batches queued at most, so the network keeps flowing while one is written. */
  private static final int WRITE_QUEUE = 4;

  private final Vertx vertx;
  private final Handler<Throwable> failed;
  private final Handler<Void> drained;
  private final ReceivedBytes received;
  private final Future<FileChannel> opened;
  private Landing.Temporary temp;
  private ByteBuf batch;
  /** The last batch handed to a worker: the next one is written after it. */
  private Future<Void> writing = Future.succeededFuture();
  private int queued;
  private final Placement placement;
  /** The stream's bytes of the file so far, counted from {@link Placement#start}. */
  private long position;
  private long remaining;
  private Throwable writeFailure;

  /**
   * Where the stream's bytes of a file go: for a whole file, bytes {@code from} to {@code size} (what is before was
   * kept from an earlier task); for a delta ({@code spans} and {@code basis} not null), its blocks' spans, in order.
   */
  record Placement(long from, long size, List<DeltaBlocks.Span> spans, Basis basis) {

    static Placement whole(long from, long size) {
      return new Placement(from, size, null, null);
    }

    /** The blocks of a delta, and how the rest of the file is built from its old version. */
    static Placement delta(DeltaBlocks blocks, Basis basis) {
      return new Placement(0, 0, List.copyOf(blocks.spans()), basis);
    }

    /** The stream position of the file's first byte that comes. */
    long start() {
      return from;
    }

    long bytes() {
      return spans == null ? size - from : spans.stream().mapToLong(DeltaBlocks.Span::length).sum();
    }

    /** The span stream position {@code at} falls in: for a whole file, all of it, placed as it comes. */
    DeltaBlocks.Span spanAt(long at) {
      if (spans == null) {
        return new DeltaBlocks.Span(0, 0, size);
      }
      int i = Collections.binarySearch(spans.stream().map(DeltaBlocks.Span::streamOffset).toList(), at);
      return spans.get(i >= 0 ? i : -i - 2);
    }
  }

  /**
   * Writes the stream's bytes of a file, placed by {@code placement}, to the temporary file once it is there (by
   * handle: never through a link). {@code failed} hears of a failed write, {@code drained} of room in the write queue.
   */
  LandingFile(Vertx vertx, Future<Landing.Temporary> created, Placement placement, ReceivedBytes received,
      Handler<Throwable> failed, Handler<Void> drained) {
    this.vertx = vertx;
    this.received = received;
    this.failed = failed;
    this.drained = drained;
    this.placement = placement;
    this.position = placement.start();
    this.remaining = placement.bytes();
    this.opened = created.compose(made -> {
      temp = made;
      return vertx.executeBlocking(() -> FileChannel.open(made.file().path(), StandardOpenOption.WRITE), false);
    });
  }

  /** Completes once the file can be written. */
  Future<Void> opened() {
    return opened.mapEmpty();
  }

  Landing.Temporary temp() {
    return temp;
  }

  Placement placement() {
    return placement;
  }

  /** @return whether that was the file's last byte */
  boolean write(Buffer data) {
    ByteBuf bytes = ((BufferInternal) data).getByteBuf();
    remaining -= bytes.readableBytes();
    while (bytes.isReadable()) {
      if (batch == null) {
        batch = ByteBufAllocator.DEFAULT.directBuffer(WRITE_BATCH, WRITE_BATCH);
      }
      batch.writeBytes(bytes, Math.min(bytes.readableBytes(), batch.writableBytes()));
      if (!batch.isWritable()) {
        flush();
      }
    }
    if (remaining == 0 && batch != null) {
      flush();
    }
    return remaining == 0;
  }

  boolean writeQueueFull() {
    return queued >= WRITE_QUEUE;
  }

  /** Hands the batch to a worker, after the one before it; a failed write stops every later one. */
  private void flush() {
    ByteBuf full = batch;
    long at = position;
    batch = null;
    position += full.readableBytes();
    queued++;
    FileChannel channel = opened.result();
    writing = writing.compose(v -> vertx.executeBlocking(() -> hashAndWrite(channel, full.nioBuffer(), at), false))
        .andThen(done -> {
          full.release();
          queued--;
          if (queued == WRITE_QUEUE / 2 && done.succeeded()) {
            drained.handle(null);
          }
        })
        .onFailure(this::writeFailed);
  }

  /** Bytes from stream position {@code at}, each run of them where its span places it. */
  private Void hashAndWrite(FileChannel channel, ByteBuffer bytes, long at) throws IOException {
    received.update(bytes);
    for (long streamAt = at; bytes.hasRemaining(); ) {
      DeltaBlocks.Span span = placement.spanAt(streamAt);
      long offset = span.fileOffset() + streamAt - span.streamOffset();
      int run = (int) Math.min(bytes.remaining(), span.streamOffset() + span.length() - streamAt);
      ByteBuffer part = bytes.slice(bytes.position(), run);
      while (part.hasRemaining()) {
        offset += channel.write(part, offset);
      }
      bytes.position(bytes.position() + run);
      streamAt += run;
    }
    return null;
  }

  private void writeFailed(Throwable err) {
    if (writeFailure == null) {
      writeFailure = err;
      failed.handle(err);
    }
  }

  /**
   * Closes the file after its last byte and gives what was written, to be checked. A failed write
   * means that covers less than the file, so then, as when the close fails, the file is removed
   * instead.
   */
  Future<ReceivedBytes> close() {
    return writing.compose(v -> vertx.executeBlocking(() -> {
      opened.result().close();
      return received;
    }, false)).recover(err -> delete().transform(deleted -> Future.failedFuture(err)));
  }

  /**
   * Closes the temporary file with every byte that came written, and leaves it under its name for a later
   * task to resume (see {@link Landing#createLarge}), when the stream stops before the file's end. Removed
   * instead when a write failed: then what it holds is not known. Never fails.
   */
  Future<Void> keep() {
    if (placement.spans() != null) {
      return discard(); // it has holes where the old version's blocks go: what it holds is no start of the file
    }
    if (batch != null && opened.succeeded()) {
      flush();
    }
    return opened.compose(channel -> writing.compose(v -> vertx.executeBlocking(() -> {
      channel.close();
      temp.close();
      return null;
    }, false))).transform(kept -> kept.succeeded() ? Future.<Void>succeededFuture() : discard());
  }

  /** Closes and removes the temporary file, whether or not it was ever opened; never fails. */
  Future<Void> discard() {
    if (batch != null) {
      batch.release();
      batch = null;
    }
    return opened.transform(open -> writing.otherwiseEmpty().transform(written -> open.succeeded()
            ? vertx.executeBlocking(() -> {
              open.result().close();
              return null;
            }, false) : Future.succeededFuture()))
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
