package io.gosync.scan;

import io.gosync.fs.Timestamp;
import io.gosync.scan.HashCache.Remembered;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * The hash cache of one node as a file in its state directory, so that the first re-sync after a restart reads
 * metadata, not contents. A plain file of fixed-size records rather than an embedded store: the cache is bounded
 * by the heap (about 170,000 entries at -Xmx256m, 80 bytes each on disk: 14 MB at most, 4.3 MB for a copy of
 * /usr/share) and is written whole after a scan that changed it, so a store's incremental writes, compaction
 * and recovery would buy nothing, and cost a dependency (often a native one). Written atomically (a temporary
 * file, fsync, rename, fsync of the directory); it starts with a magic number, its format and the node's name,
 * and ends with a CRC32C of everything before, so a torn, damaged or foreign file is refused as a whole.
 */
final class HashCacheFile {

  private static final Logger LOG = LoggerFactory.getLogger(HashCacheFile.class);

  /** "GSHC". */
  private static final int MAGIC = 0x47534843;
  private static final int FORMAT = 1;
  /** device, inode, size, mtime (8 + 4), ctime (8 + 4), SHA-256. */
  private static final int RECORD_BYTES = 8 + 8 + 8 + 12 + 12 + 32;

  private final Path file;
  private final Path temp;
  private final String node;
  /** Why the last save failed, so that a state directory that stays unwritable is logged once. */
  private String lastFailure;

  /** The file of node {@code node} in {@code stateDir}: one per node, so that nodes may share a directory. */
  HashCacheFile(Path stateDir, String node) {
    this.file = stateDir.resolve("hash-cache-" + node);
    this.temp = stateDir.resolve("hash-cache-" + node + ".tmp");
    this.node = node;
  }

  Path path() {
    return file;
  }

  /**
   * Fills the cache from the file, if there is a good one: a bad or unreadable file costs one log line and
   * re-hashing, never a failed start. @return the entries restored
   */
  int restoreInto(HashCache cache) {
    try {
      List<Remembered> saved = load(cache.capacity());
      if (saved == null) {
        LOG.info("hash cache: no {} yet, starting with an empty cache", file);
        return 0;
      }
      cache.restore(saved);
      LOG.info("hash cache: {} entries from {}", saved.size(), file);
      return saved.size();
    } catch (IOException | RuntimeException e) {
      LOG.warn("hash cache file {} ignored, starting with an empty cache: {}", file, why(e));
      return 0;
    }
  }

  /**
   * Saves the cache if it changed since it was last saved or restored. A failure is logged (once while it
   * stays the same) and costs only re-hashing after a restart. @return whether the file now holds the cache
   */
  boolean saveChanges(HashCache cache) {
    List<Remembered> changes = cache.changes();
    if (changes == null) {
      return true;
    }
    try {
      save(changes);
      lastFailure = null;
      return true;
    } catch (IOException | RuntimeException e) {
      if (!why(e).equals(lastFailure)) {
        LOG.warn("hash cache not saved to {} (it stays in memory; after a restart files are hashed again): {}",
            file, why(e));
      }
      lastFailure = why(e);
      return false;
    }
  }

  private static String why(Exception e) {
    return e instanceof IOException ? ScannerVerticle.describe(e) : e.getMessage();
  }

  /**
   * The saved entries, least recently used first, at most the newest {@code capacity} of them; null when there
   * is no file yet.
   *
   * @throws IllegalArgumentException naming what is wrong with a file that is not this node's cache, or damaged
   * @throws IOException when it cannot be read
   */
  private List<Remembered> load(int capacity) throws IOException {
    long length;
    try {
      length = Files.size(file);
    } catch (NoSuchFileException e) {
      return null;
    }
    verifyChecksum(length);
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      int count = readHeader(in, length);
      ArrayDeque<Remembered> newest = new ArrayDeque<>(Math.min(count, capacity));
      byte[] hash = new byte[32];
      for (int i = 0; i < count; i++) {
        Remembered entry = readRecord(in, hash);
        if (newest.size() == capacity) {
          newest.removeFirst();
        }
        newest.addLast(entry);
      }
      return List.copyOf(newest);
    } catch (EOFException e) {
      throw new IllegalArgumentException("it is truncated");
    }
  }

  /**
   * Checks the trailing CRC32C before a field is read, so that damage anywhere is named as damage, not as the
   * odd value (a time of -1,000,000 nanoseconds) a flipped bit happens to make.
   */
  private void verifyChecksum(long length) throws IOException {
    if (length < 4) {
      throw new IllegalArgumentException("it is truncated");
    }
    CRC32C crc = new CRC32C();
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      byte[] chunk = new byte[1 << 16];
      for (long left = length - 4; left > 0; ) {
        int n = (int) Math.min(chunk.length, left);
        in.readFully(chunk, 0, n);
        crc.update(chunk, 0, n);
        left -= n;
      }
      if (Integer.toUnsignedLong(in.readInt()) != crc.getValue()) {
        throw new IllegalArgumentException("its checksum does not match its contents");
      }
    } catch (EOFException e) {
      throw new IllegalArgumentException("it is truncated");
    }
  }

  /** @return the record count, once magic, format, node and the file's length agree with it */
  private int readHeader(DataInputStream in, long length) throws IOException {
    if (in.readInt() != MAGIC) {
      throw new IllegalArgumentException("it is not a gosync hash cache");
    }
    int format = in.readInt();
    if (format != FORMAT) {
      throw new IllegalArgumentException("its format is " + format + ", this gosync reads " + FORMAT);
    }
    String owner = in.readUTF();
    if (!owner.equals(node)) {
      throw new IllegalArgumentException("it is node " + owner + "'s, not " + node + "'s");
    }
    int count = in.readInt();
    long expected = 4 + 4 + 2 + nameBytes(owner) + 4 + (long) count * RECORD_BYTES + 4;
    if (count < 0 || length != expected) {
      throw new IllegalArgumentException("its length " + length + " does not fit its " + count + " entries");
    }
    return count;
  }

  private static Remembered readRecord(DataInputStream in, byte[] hash) throws IOException {
    long device = in.readLong();
    long inode = in.readLong();
    long size = in.readLong();
    Timestamp mtime = readTime(in);
    Timestamp ctime = readTime(in);
    in.readFully(hash);
    return new Remembered(device, inode, size, mtime, ctime, HexFormat.of().formatHex(hash));
  }

  private static Timestamp readTime(DataInputStream in) throws IOException {
    long seconds = in.readLong();
    int nanos = in.readInt();
    if (nanos < 0 || nanos > 999_999_999) {
      throw new IllegalArgumentException("it holds a time of " + nanos + " nanoseconds");
    }
    return new Timestamp(seconds, nanos);
  }

  /** Replaces the file with these entries, least recently used first: whole or not at all, even on a crash. */
  private void save(List<Remembered> entries) throws IOException {
    Path dir = file.getParent();
    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    // A temporary file a crash left behind is replaced; the cache says which files the node read: its own only.
    Files.deleteIfExists(temp);
    try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      write(channel, entries);
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    }
  }

  private void write(FileChannel channel, List<Remembered> entries) throws IOException {
    CheckedOutputStream checked = new CheckedOutputStream(
        new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16), new CRC32C());
    DataOutputStream out = new DataOutputStream(checked);
    out.writeInt(MAGIC);
    out.writeInt(FORMAT);
    out.writeUTF(node);
    out.writeInt(entries.size());
    for (Remembered entry : entries) {
      out.writeLong(entry.device());
      out.writeLong(entry.inode());
      out.writeLong(entry.size());
      writeTime(out, entry.mtime());
      writeTime(out, entry.ctime());
      out.write(HexFormat.of().parseHex(entry.hash()));
    }
    out.writeInt((int) checked.getChecksum().getValue());
    out.flush();
  }

  private static void writeTime(DataOutputStream out, Timestamp time) throws IOException {
    out.writeLong(time.seconds());
    out.writeInt(time.nanos());
  }

  /** A node's name is ASCII (the NodeName rule), so writeUTF writes a byte per character. */
  private static int nameBytes(String name) {
    return name.getBytes(StandardCharsets.UTF_8).length;
  }
}
