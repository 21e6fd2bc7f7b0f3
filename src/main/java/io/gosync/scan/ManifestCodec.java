package io.gosync.scan;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.gosync.fs.Names;
import io.gosync.fs.Timestamp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The compact wire form of manifests. A manifest of a million entries is about
 * 100 bytes an entry before zstd, far less after; it travels in chunks (see the task control
 * verticle), never as one event bus message.
 */
public final class ManifestCodec {

  /** 2: names and link texts as bytes, times as 64-bit seconds and nanoseconds, links' own mtime, SKIP entries. */
  private static final int FORMAT = 2;
  /** Linux refuses a longer link text (PATH_MAX, with its NUL). */
  private static final int MAX_LINK_BYTES = 4095;
  private static final int MAX_ENTRIES = 50_000_000;

  private ManifestCodec() {
  }

  /**
   * What one decode may make this node hold: at most {@code entries} entries, inflated from the compressed
   * form into at most {@code bytes} bytes. A target sizes them from its budget (see the task control verticle).
   */
  public record Limits(int entries, long bytes) {
  }

  public static byte[] encode(Manifest manifest) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new ZstdOutputStream(bytes, 3)))) {
      out.writeInt(FORMAT);
      out.writeInt(manifest.size());
      for (Entry entry : manifest.entries()) {
        out.writeByte(entry.kind().ordinal());
        writeName(out, entry.path());
        switch (entry.kind()) {
          case FILE -> {
            out.writeLong(entry.size());
            writeTime(out, entry.mtime());
            out.writeShort(entry.mode());
            out.write(HexFormat.of().parseHex(entry.hash()));
          }
          case DIR -> {
            writeTime(out, entry.mtime());
            out.writeShort(entry.mode());
          }
          case LINK -> {
            writeName(out, entry.linkTarget());
            writeTime(out, entry.mtime());
          }
          case SKIP -> { }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Decodes and validates: every path is checked by {@link WirePath}, sizes must be sane. */
  public static Manifest decode(byte[] compressed) {
    return decode(compressed, new Limits(MAX_ENTRIES, Long.MAX_VALUE));
  }

  /**
   * Decodes within limits: the entry count is checked before anything is allocated for it, and the bytes
   * are counted as they inflate, so a small manifest that inflates without end (a zip bomb) stops at the limit.
   */
  public static Manifest decode(byte[] compressed, Limits limits) {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(
        new Inflated(new ZstdInputStream(new ByteArrayInputStream(compressed)), limits.bytes())))) {
      int count = readHeader(in, limits.entries());
      List<Entry> entries = new ArrayList<>(count);
      byte[] hash = new byte[32];
      for (int i = 0; i < count; i++) {
        entries.add(readEntry(in, i == 0, hash));
      }
      checkRoot(entries);
      checkTree(entries);
      return Manifest.of(entries);
    } catch (EOFException e) {
      throw new IllegalArgumentException("manifest: truncated");
    } catch (IOException e) {
      throw new IllegalArgumentException("manifest: unreadable (" + e.getMessage() + ")");
    }
  }

  /** @return the entry count, after checking the format and that the count is within bounds */
  private static int readHeader(DataInputStream in, int maxEntries) throws IOException {
    if (in.readInt() != FORMAT) {
      throw new IllegalArgumentException("manifest: unknown format");
    }
    int count = in.readInt();
    if (count < 1 || count > MAX_ENTRIES) {
      throw new IllegalArgumentException("manifest: bad entry count " + count);
    }
    if (count > maxEntries) {
      throw new IllegalArgumentException("manifest: " + count + " entries, more than the " + maxEntries + " it may have here");
    }
    return count;
  }

  /** The inflated bytes, counted: past the limit, the decode stops. */
  private static final class Inflated extends FilterInputStream {
    private final long limit;
    private long count;

    Inflated(InputStream in, long limit) {
      super(in);
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      counted(b < 0 ? 0 : 1);
      return b;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      int n = super.read(bytes, offset, length);
      counted(Math.max(n, 0));
      return n;
    }

    private void counted(int n) {
      count += n;
      if (count > limit) {
        throw new IllegalArgumentException("manifest: decodes to more than the " + limit + " bytes it may have here");
      }
    }
  }

  /** Reads one entry; only the first may name the root. {@code hash} is scratch space, reused. */
  private static Entry readEntry(DataInputStream in, boolean first, byte[] hash) throws IOException {
    int kind = in.readUnsignedByte();
    if (kind >= Entry.Kind.values().length) {
      throw new IllegalArgumentException("manifest: bad entry kind " + kind);
    }
    String path = WirePath.check(readName(in));
    if (path.isEmpty() != first) {
      throw new IllegalArgumentException("manifest: only entry 0 may name the root");
    }
    return switch (Entry.Kind.values()[kind]) {
      case FILE -> readFile(in, path, hash);
      case DIR -> Entry.dir(path, readTime(in, path), in.readUnsignedShort() & 07777);
      case LINK -> readLink(in, path);
      case SKIP -> Entry.skip(path);
    };
  }

  private static Entry readFile(DataInputStream in, String path, byte[] hash) throws IOException {
    long size = in.readLong();
    Timestamp mtime = readTime(in, path);
    int mode = in.readUnsignedShort() & 07777;
    in.readFully(hash);
    if (size < 0) {
      throw new IllegalArgumentException("manifest: negative size for " + Names.display(path));
    }
    return Entry.file(path, size, mtime, mode, HexFormat.of().formatHex(hash));
  }

  private static Entry readLink(DataInputStream in, String path) throws IOException {
    String target = readName(in);
    if (target.isEmpty() || target.indexOf('\0') >= 0 || Names.byteLength(target) > MAX_LINK_BYTES) {
      throw new IllegalArgumentException("manifest: bad link target for " + Names.display(path));
    }
    return Entry.link(path, target, readTime(in, path));
  }

  /** A name or link text: its length, then its bytes exactly as the file system has them. */
  private static void writeName(DataOutputStream out, String name) throws IOException {
    byte[] bytes = Names.encode(name);
    out.writeShort(bytes.length);
    out.write(bytes);
  }

  private static String readName(DataInputStream in) throws IOException {
    byte[] bytes = new byte[in.readUnsignedShort()];
    in.readFully(bytes);
    return Names.decode(bytes);
  }

  private static void writeTime(DataOutputStream out, Timestamp time) throws IOException {
    out.writeLong(time.seconds());
    out.writeInt(time.nanos());
  }

  private static Timestamp readTime(DataInputStream in, String path) throws IOException {
    long seconds = in.readLong();
    int nanos = in.readInt();
    if (nanos < 0 || nanos > 999_999_999) {
      throw new IllegalArgumentException("manifest: bad time for " + Names.display(path));
    }
    return new Timestamp(seconds, nanos);
  }

  /** The root is a directory or a file, and a file is the whole manifest. */
  private static void checkRoot(List<Entry> entries) {
    if (entries.get(0).kind() == Entry.Kind.LINK || entries.get(0).kind() == Entry.Kind.SKIP) {
      throw new IllegalArgumentException("manifest: the root cannot be a symlink or skipped");
    }
    if (entries.get(0).isFile() && entries.size() != 1) {
      throw new IllegalArgumentException("manifest: a single-file manifest has one entry");
    }
  }

  /**
   * Every entry's parent must be a directory entry that came before it, and no path may repeat.
   * Without this a manifest could name a symlink "l" and then "l/x", and reach through the link.
   */
  private static void checkTree(List<Entry> entries) {
    Map<String, Entry.Kind> seen = new HashMap<>(entries.size() * 2);
    for (Entry entry : entries) {
      if (!entry.path().isEmpty() && seen.get(WirePath.parentOf(entry.path())) != Entry.Kind.DIR) {
        throw new IllegalArgumentException("manifest: the parent of " + Names.display(entry.path()) + " is not a directory listed before it");
      }
      if (seen.put(entry.path(), entry.kind()) != null) {
        throw new IllegalArgumentException("manifest: " + Names.display(entry.path()) + " is listed twice");
      }
    }
  }

  public static String digest(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
