package io.gosync.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.WriteStream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads up to {@code size} bytes of one large source file into the stream: each read on a worker
 * thread into a pooled direct buffer, written to the stream and released once every branch has
 * written it; the next read waits while the stream is full. Direct buffers go to the TLS engine and
 * the file channel as they are: with AsyncFile's heap buffers, the file channel copied each read
 * from a temporary direct buffer, its array was zeroed first, and the TLS engine copied it again into
 * direct memory (the three cost the source about 0.3 CPU s per GiB on loopback).
 */
final class SourceFile {

  /** 256 KiB a read: a quarter of the reads of AsyncFile's 64 KiB, each a hop to a worker thread. */
  static final int READ_SIZE = 256 << 10;

  private final Vertx vertx;
  private final WriteStream<Buffer> out;
  private final Promise<Long> done = Promise.promise();
  private FileChannel channel;
  private long position;
  private final long size;
  private final int readSize;

  private SourceFile(Vertx vertx, long from, long size, int readSize, WriteStream<Buffer> out) {
    this.vertx = vertx;
    this.position = from;
    this.size = size;
    this.readSize = readSize;
    this.out = out;
  }

  /** Writes bytes {@code from} to {@code size}; completes with where it stopped: short of {@code size} if the file was. */
  static Future<Long> copy(Vertx vertx, Path file, long from, long size, int readSize, WriteStream<Buffer> out) {
    SourceFile read = new SourceFile(vertx, from, size, readSize, out);
    return vertx.executeBlocking(() -> FileChannel.open(file, StandardOpenOption.READ), false)
        .compose(channel -> {
          read.channel = channel;
          read.next();
          return read.done.future().eventually(() -> vertx.executeBlocking(() -> {
            channel.close();
            return null;
          }, false));
        });
  }

  private void next() {
    if (position == size) {
      done.complete(position);
      return;
    }
    int length = (int) Math.min(readSize, size - position);
    ByteBuf buffer = ByteBufAllocator.DEFAULT.directBuffer(length, length);
    vertx.executeBlocking(() -> readFully(buffer.nioBuffer(0, length), position), false).onComplete(read -> {
      if (read.failed() || read.result() == 0) {
        buffer.release();
        if (read.failed()) {
          done.fail(read.cause());
        } else {
          done.complete(position);
        }
        return;
      }
      buffer.writerIndex(read.result());
      position += read.result();
      out.write(BufferInternal.buffer(buffer)).onComplete(written -> buffer.release());
      if (out.writeQueueFull()) {
        out.drainHandler(v -> next());
      } else {
        vertx.runOnContext(v -> next());
      }
    });
  }

  /** Fills {@code into} from {@code at}, short only at the end of the file. */
  private int readFully(ByteBuffer into, long at) throws IOException {
    int total = 0;
    while (into.hasRemaining()) {
      int read = channel.read(into, at + total);
      if (read < 0) {
        break;
      }
      total += read;
    }
    return total;
  }
}
