package io.gosync.relay.wire;

import com.github.luben.zstd.Zstd;
import io.gosync.scan.Entry;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * The body of a relay stream. Per file: 'F', index (int), size (long), from (long), flags (byte), SHA-256
 * (32 bytes), then either exactly {@code size - from} raw bytes or, when compressed, chunks of
 * rawLength (int), compressedLength (int) and zstd bytes until those raw bytes are
 * covered; then 'K', index (int) and the CRC32C (int) of those raw bytes. {@code from} is 0, or for a large
 * file (a small one is landed whole, in one step) the receivers hold the start of (cut off in an earlier task, see {@code Partials}), where that start
 * ends: they keep it and verify the whole file by its SHA-256 once the rest has come. A delta (flag {@link #DELTA},
 * from 0) is followed by the {@link DeltaBlocks} it carries, and its raw bytes are those blocks' only, in order: the
 * receivers copy the other blocks from their old version and verify the whole file's SHA-256. Then 'E' with the file count, or
 * 'A' with a reason if the source gives up. No per-chunk messages, no round trips: small files follow each
 * other back to back.
 *
 * <p>The check is what a receiver verifies before a file takes its final name. Not the SHA-256: the source
 * proved that what it read is the manifest's file (by its SHA-256, or by a stat that shows it unchanged since
 * the scan hashed it), so the receivers need only see that the bytes came
 * through unchanged, from the source over every hop. TLS authenticates each hop; CRC32C catches what a node
 * could get wrong between hops (our framing and batching, its memory) at 0.02 CPU s per GiB, where SHA-256
 * cost a receiver 0.7-0.9 CPU s per GiB, a quarter of a relay's CPU (loopback, 1 GiB, TLS). The trade-off: a
 * node holding a certificate of the cluster that forges the bytes it relays and their CRC is not caught by
 * the nodes below it: certificates are the trust boundary (see the README's trust model).
 *
 * <p>'S', index (int), reason length (int, at most {@link #MAX_SKIP_TEXT}) and UTF-8 reason: the
 * source gives up on that one file and the stream goes on. It comes instead of the file's frame
 * (the file could not be opened, or a small file, read whole, was not as in the manifest), or
 * instead of the check when a large one turned out to have changed while it
 * was read: the source checks what it read, so the receiver discards that file. A large file
 * that failed part-way is first completed with zero bytes up to its size, as rsync's sender does
 * on a read error: raw bytes have no frame boundary to stop at. The end frame counts the files
 * sent and the files skipped: every file of the need-list is one or the other.
 */
public final class Frames {

  public static final byte FILE = 'F';
  public static final byte END = 'E';
  public static final byte ABORT = 'A';
  public static final byte SKIP = 'S';
  public static final byte CHECK = 'K';
  public static final int CHECK_BYTES = 4 + 4;
  public static final int FILE_HEADER_BYTES = 4 + 8 + 8 + 1 + 32;
  public static final int CHUNK_HEADER_BYTES = 8;
  public static final byte COMPRESSED = 1;
  /** The file's frame is followed by {@link DeltaBlocks}, and its bytes are only those blocks'. */
  public static final byte DELTA = 2;
  /** Files up to this size are read, relayed and landed whole, in one step each. */
  public static final int SMALL_FILE = 1 << 20;
  /** The largest raw chunk a receiver accepts; senders use at most SMALL_FILE. */
  public static final int MAX_CHUNK = 4 << 20;
  public static final int MAX_ABORT_TEXT = 4096;
  /** A skip names one file's trouble ("No such file or directory", "changed while read"): short. */
  public static final int MAX_SKIP_TEXT = 1024;

  private Frames() {
  }

  /** @param from 0, or where the receivers' partial copy of a large file ends */
  public static Buffer file(int index, Entry entry, long from, boolean compressed) {
    return header(index, entry, from, compressed ? COMPRESSED : 0);
  }

  /** A delta of a large file (from 0): the frame, then the numbers of the blocks whose bytes follow. */
  public static Buffer delta(int index, Entry entry, DeltaBlocks blocks, boolean compressed) {
    return header(index, entry, 0, DELTA | (compressed ? COMPRESSED : 0)).appendBuffer(blocks.encode());
  }

  private static Buffer header(int index, Entry entry, long from, int flags) {
    return Buffer.buffer(1 + FILE_HEADER_BYTES)
        .appendByte(FILE).appendInt(index).appendLong(entry.size()).appendLong(from).appendByte((byte) flags)
        .appendBytes(HexFormat.of().parseHex(entry.hash()));
  }

  public static Buffer chunk(Buffer raw, int level) {
    byte[] packed = Zstd.compress(raw.getBytes(), level);
    return Buffer.buffer(CHUNK_HEADER_BYTES + packed.length)
        .appendInt(raw.length()).appendInt(packed.length).appendBytes(packed);
  }

  /** What follows a file's bytes: their CRC32C, see {@link #crc32c()}. */
  public static Buffer check(int index, int crc32c) {
    return Buffer.buffer(1 + CHECK_BYTES).appendByte(CHECK).appendInt(index).appendInt(crc32c);
  }

  /** The checksum of a check frame, fed the file's raw bytes in order; its value as an int. */
  public static Checksum crc32c() {
    return new CRC32C();
  }

  public static Buffer end(long files) {
    return Buffer.buffer(9).appendByte(END).appendLong(files);
  }

  public static Buffer abort(String reason) {
    return text(Buffer.buffer().appendByte(ABORT), reason, MAX_ABORT_TEXT);
  }

  public static Buffer skip(int index, String reason) {
    return text(Buffer.buffer().appendByte(SKIP).appendInt(index), reason, MAX_SKIP_TEXT);
  }

  /** Cut at a byte limit, which may split a character: the parser decodes it leniently. */
  private static Buffer text(Buffer frame, String reason, int max) {
    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
    int length = Math.min(text.length, max);
    return frame.appendInt(length).appendBytes(text, 0, length);
  }
}
