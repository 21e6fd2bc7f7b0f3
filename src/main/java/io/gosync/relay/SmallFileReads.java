package io.gosync.relay;

import io.gosync.fs.OpenFile;
import io.gosync.fs.Stat;
import io.gosync.protocol.NeedList;
import io.gosync.relay.wire.Frames;
import io.gosync.scan.Entry;
import io.gosync.scan.EntryLocator;
import io.gosync.scan.FileFacts;
import io.gosync.scan.Manifest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * The source's small files, read ahead of the stream: several at once on worker threads, each opened by
 * handle, read whole, checked against the manifest and made into its frames, file, bytes and check in one
 * buffer, or a skip. The stream takes them in need-list order. A file unchanged since the scan (its stat
 * says so, before and after the read: {@link FileFacts#unchangedSince}) is not hashed again; any other is,
 * and one whose SHA-256 is not the manifest's is skipped.
 *
 * <p>One file at a time, with two worker hops each (open, read) and three writes (a TLS record and a
 * flush each), sent a copy of /usr/share (46,312 files) in ~15 CPU s on the source.
 */
final class SmallFileReads {

  /** Reads in flight at most: enough to keep two cores busy with small files, at most 8 MiB held. */
  static final int AHEAD = 8;

  /** One small file's part of the stream. */
  record Read(Buffer frames, String trouble) {
  }

  private record Pending(int index, Future<Read> read) {
  }

  private final Vertx vertx;
  private final Manifest manifest;
  private final NeedList need;
  private final EntryLocator source;
  private final Integer level;
  private final Instant scanBegan;
  private final Deque<Pending> ahead = new ArrayDeque<>();
  /** The next needed file not yet read, or -1. */
  private int unread;

  /** @param level the zstd level of compressed chunks, or null for raw bytes */
  SmallFileReads(Vertx vertx, Manifest manifest, Instant scanBegan, NeedList need, EntryLocator source,
      Integer level) {
    this.scanBegan = scanBegan;
    this.vertx = vertx;
    this.manifest = manifest;
    this.need = need;
    this.source = source;
    this.level = level;
  }

  /** The frames of small file {@code index}, the next the stream needs; reads the small files after it ahead. */
  Future<Read> take(int index) {
    if (ahead.isEmpty() || ahead.peek().index() != index) {
      ahead.clear(); // not the order they were read ahead in: cannot happen, but never send the wrong file
      unread = index;
    }
    readAhead();
    return ahead.poll().read();
  }

  /** Starts reads of the next needed files while they are small, up to {@link #AHEAD}; a large file stops it. */
  private void readAhead() {
    while (ahead.size() < AHEAD && unread >= 0 && manifest.entry(unread).size() <= Frames.SMALL_FILE) {
      int index = unread;
      Entry entry = manifest.entry(index);
      ahead.add(new Pending(index, vertx.executeBlocking(() -> read(index, entry), false)));
      unread = need.next(index + 1);
    }
  }

  private Read read(int index, Entry entry) {
    byte[] data;
    boolean unchanged;
    try (OpenFile file = source.open(entry)) {
      Stat opened = file.stat();
      data = readAll(file, entry.size());
      unchanged = FileFacts.unchangedSince(opened, entry, scanBegan) && file.stat().equals(opened);
    } catch (IOException | RuntimeException e) {
      return new Read(Frames.skip(index, SourceRead.unreadable(e)), SourceRead.unreadable(e));
    }
    Buffer bytes = Buffer.buffer(data);
    String trouble = unchanged && data.length == entry.size() ? null
        : SourceRead.trouble(entry, data.length, SourceRead.sha256(bytes));
    if (trouble != null) {
      return new Read(Frames.skip(index, trouble), trouble);
    }
    Buffer frames = Frames.file(index, entry, 0, level != null);
    if (data.length > 0) {
      frames.appendBuffer(level != null ? Frames.chunk(bytes, level) : bytes);
    }
    return new Read(frames.appendBuffer(Frames.check(index, SourceRead.crc32c(bytes))), null);
  }

  /** The file's bytes, reading one past {@code size} so that a file that grew shows as longer. */
  private static byte[] readAll(OpenFile file, long size) throws IOException {
    ByteBuffer into = ByteBuffer.allocate((int) size + 1);
    try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ)) {
      for (int read = 0; into.hasRemaining() && read >= 0; ) {
        read = channel.read(into);
      }
    }
    return Arrays.copyOf(into.array(), into.position());
  }
}
