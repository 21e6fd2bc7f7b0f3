package io.gosync.relay.wire;

import com.github.luben.zstd.Zstd;
import io.gosync.scan.Entry;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The body of a relay stream. Per file: 'F', index (int), size (long), flags (byte), SHA-256
 * (32 bytes), then either exactly {@code size} raw bytes or, when compressed, chunks of
 * rawLength (int), compressedLength (int) and zstd bytes until {@code size} raw bytes are
 * covered. Then 'E' with the file count, or 'A' with a reason if the source gives up.
 * No per-chunk messages, no round trips: small files follow each other back to back.
 */
public final class Frames {

  public static final byte FILE = 'F';
  public static final byte END = 'E';
  public static final byte ABORT = 'A';
  public static final int FILE_HEADER_BYTES = 4 + 8 + 1 + 32;
  public static final int CHUNK_HEADER_BYTES = 8;
  public static final byte COMPRESSED = 1;
  /** Files up to this size are read, relayed and landed whole, in one step each. */
  public static final int SMALL_FILE = 1 << 20;
  /** The largest raw chunk a receiver accepts; senders use at most SMALL_FILE. */
  public static final int MAX_CHUNK = 4 << 20;
  public static final int MAX_ABORT_TEXT = 4096;

  private Frames() {
  }

  public static Buffer file(int index, Entry entry, boolean compressed) {
    return Buffer.buffer(1 + FILE_HEADER_BYTES)
        .appendByte(FILE).appendInt(index).appendLong(entry.size())
        .appendByte(compressed ? COMPRESSED : 0)
        .appendBytes(HexFormat.of().parseHex(entry.hash()));
  }

  public static Buffer chunk(Buffer raw, int level) {
    byte[] packed = Zstd.compress(raw.getBytes(), level);
    return Buffer.buffer(CHUNK_HEADER_BYTES + packed.length)
        .appendInt(raw.length()).appendInt(packed.length).appendBytes(packed);
  }

  public static Buffer end(long files) {
    return Buffer.buffer(9).appendByte(END).appendLong(files);
  }

  public static Buffer abort(String reason) {
    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
    int length = Math.min(text.length, MAX_ABORT_TEXT);
    return Buffer.buffer(5 + length).appendByte(ABORT).appendInt(length).appendBytes(text, 0, length);
  }
}
