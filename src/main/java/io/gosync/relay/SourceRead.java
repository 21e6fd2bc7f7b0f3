package io.gosync.relay;

import io.gosync.fs.Stat;
import io.gosync.relay.wire.Frames;
import io.gosync.scan.Entry;
import io.gosync.scan.FileFacts;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.WriteStream;

import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.Checksum;

/**
 * What the source read of one large file as it passed to the tee: how many bytes and their
 * SHA-256, to tell whether it was the file of the manifest, and their CRC32C for the receivers'
 * check (see {@link Frames}); and the words for a file that was not.
 */
final class SourceRead extends GroupSender.ForwardingStream {

  /** Null for a file unchanged since the scan (see {@code FileFacts.unchangedSince}): it need not be hashed again. */
  private final MessageDigest digest;
  private final Checksum crc = Frames.crc32c();
  /** Bytes before this are only hashed: the receivers hold them. */
  private final long sendFrom;
  private long count;

  /**
   * @param readFrom where the reads begin: 0 when hashing, else where sending begins
   * @param sendFrom where the stream's part of the file begins (see {@code Frames.file})
   */
  SourceRead(WriteStream<Buffer> next, boolean hashing, long readFrom, long sendFrom) {
    super(next);
    this.digest = hashing ? FileFacts.sha256() : null;
    this.count = readFrom;
    this.sendFrom = sendFrom;
  }

  @Override
  public Future<Void> write(Buffer data) {
    long at = count;
    count += data.length();
    if (digest != null) {
      digest.update(bytes(data));
    }
    if (count <= sendFrom) {
      return Future.succeededFuture();
    }
    Buffer sent = at >= sendFrom ? data : data.slice((int) (sendFrom - at), data.length());
    crc.update(bytes(sent));
    return next.write(sent);
  }

  long count() {
    return count;
  }

  int crc32c() {
    return (int) crc.getValue();
  }

  /**
   * Why what was read is not the manifest's file, or null when it is: by its size and hash, or, for a file that
   * was not hashed, by its size and its stat {@code after} the read, which must be as {@code before}.
   */
  String trouble(Entry entry, Stat after, Stat before) {
    if (digest != null) {
      return trouble(entry, count, HexFormat.of().formatHex(digest.digest()));
    }
    if (count != entry.size()) {
      return trouble(entry, count, null);
    }
    return after.equals(before) ? null : "changed while it was read (its size or times changed)";
  }

  static String trouble(Entry entry, long size, String hash) {
    if (size != entry.size()) {
      return "changed while it was read (" + size + " bytes, not " + entry.size() + ")";
    }
    return hash.equals(entry.hash()) ? null : "changed while it was read (its bytes differ from the scan's)";
  }

  static int crc32c(Buffer data) {
    Checksum whole = Frames.crc32c();
    whole.update(bytes(data));
    return (int) whole.getValue();
  }

  static String sha256(Buffer data) {
    MessageDigest digest = FileFacts.sha256();
    digest.update(bytes(data));
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * The buffer's bytes in place, for the digest: {@code getBytes()} would copy them into a new array
   * first, which cost 4.6 % of the source's CPU on loopback (1 GiB, TLS).
   */
  private static ByteBuffer bytes(Buffer data) {
    return ((BufferInternal) data).getByteBuf().nioBuffer();
  }

  /** A failed open or read, in a few words: the file's path is named beside them. */
  static String unreadable(Throwable err) {
    Throwable cause = err;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    if (cause instanceof NoSuchFileException) {
      return "vanished before it was read";
    }
    if (cause instanceof AccessDeniedException) {
      return "cannot be read: permission denied";
    }
    return "cannot be read: " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
  }
}
