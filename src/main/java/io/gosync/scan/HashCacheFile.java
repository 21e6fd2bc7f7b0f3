package io.gosync.scan;

import io.gosync.fs.Timestamp;
import io.gosync.scan.HashCache.Remembered;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.List;

/**
 * The hash cache of one node as a file in its state directory, so that the first re-sync after a restart reads
 * metadata, not contents. A plain file of fixed-size records rather than an embedded store: the cache is bounded
 * by the heap (about 170,000 entries at -Xmx256m, 80 bytes each on disk: 14 MB at most, 4.3 MB for a copy of
 * /usr/share) and is written whole after a scan that changed it, so a store's incremental writes, compaction
 * and recovery would buy nothing, and cost a dependency (often a native one). A {@link StateFile}: written
 * atomically, its header says whose it is, and a CRC32C at its end refuses a torn, damaged or foreign file whole.
 */
final class HashCacheFile {

  /** "GSHC". */
  private static final int MAGIC = 0x47534843;
  private static final int FORMAT = 1;
  /** device, inode, size, mtime (8 + 4), ctime (8 + 4), SHA-256. */
  private static final int RECORD_BYTES = 8 + 8 + 8 + 12 + 12 + 32;

  private final StateFile file;

  /** The file of node {@code node} in {@code stateDir}: one per node, so that nodes may share a directory. */
  HashCacheFile(Path stateDir, String node) {
    this.file = new StateFile(stateDir, "hash-cache-" + node, MAGIC, FORMAT, "hash cache", node);
  }

  Path path() {
    return file.path();
  }

  /** Fills the cache from the file, if there is a good one (see {@link StateFile#restore}). @return the entries restored */
  int restoreInto(HashCache cache) {
    return file.restore(() -> load(cache.capacity()), cache::restore, "files are hashed again");
  }

  /** Saves the cache if it changed since it was last saved or restored (see {@link StateFile#saveChanges}). */
  boolean saveChanges(HashCache cache) {
    return file.saveChanges(cache.changes(), this::save, "files are hashed again");
  }

  /**
   * The saved entries, least recently used first, at most the newest {@code capacity} of them; null when there
   * is no file yet.
   *
   * @throws IllegalArgumentException naming what is wrong with a file that is not this node's cache, or damaged
   * @throws IOException when it cannot be read
   */
  private List<Remembered> load(int capacity) throws IOException {
    long length = file.verifiedLength();
    if (length < 0) {
      return null;
    }
    try (DataInputStream in = file.open()) {
      int count = in.readInt();
      long expected = file.headerBytes() + 4 + (long) count * RECORD_BYTES + 4;
      if (count < 0 || length != expected) {
        throw new IllegalArgumentException("its length " + length + " does not fit its " + count + " entries");
      }
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

  private static Remembered readRecord(DataInputStream in, byte[] hash) throws IOException {
    long device = in.readLong();
    long inode = in.readLong();
    long size = in.readLong();
    Timestamp mtime = StateFile.readTime(in);
    Timestamp ctime = StateFile.readTime(in);
    in.readFully(hash);
    return new Remembered(device, inode, size, mtime, ctime, HexFormat.of().formatHex(hash));
  }

  /** Replaces the file with these entries, least recently used first: whole or not at all, even on a crash. */
  private void save(List<Remembered> entries) throws IOException {
    file.save(out -> {
      out.writeInt(entries.size());
      for (Remembered entry : entries) {
        out.writeLong(entry.device());
        out.writeLong(entry.inode());
        out.writeLong(entry.size());
        StateFile.writeTime(out, entry.mtime());
        StateFile.writeTime(out, entry.ctime());
        out.write(HexFormat.of().parseHex(entry.hash()));
      }
    });
  }
}
