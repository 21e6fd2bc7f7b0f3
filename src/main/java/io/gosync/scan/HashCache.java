package io.gosync.scan;

import io.gosync.fs.Dir;
import io.gosync.fs.OpenFile;
import io.gosync.fs.Stat;
import io.gosync.fs.Timestamp;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers file hashes so that re-syncing an unchanged tree reads metadata only. A file is its
 * device and inode; its hash stands while size, mtime and ctime (both in nanoseconds) are the
 * same. ctime matters: a file rewritten at the same size with its mtime put back keeps both, and
 * only ctime (which no user can set) shows the change. Owned by the scanner verticle and used
 * from its one worker at a time.
 */
final class HashCache {

  /** Heap one entry takes, rounded up: map entry, key, value, two times and the hex hash add up to ~270 bytes. */
  static final long BYTES_PER_ENTRY = 384;

  private record FileId(long device, long inode) {
  }

  private record Known(long size, Timestamp mtime, Timestamp ctime, String hash) {
  }

  private final int capacity;
  private final Map<FileId, Known> known;

  HashCache(int capacity) {
    this.capacity = capacity;
    this.known = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<FileId, Known> eldest) {
        return size() > HashCache.this.capacity;
      }
    };
  }

  /**
   * The configured size, but never more entries than a quarter of the maximum heap holds: the
   * cache lives as long as the daemon, and 2,000,000 entries (the default) take some 800 MiB,
   * which would end a daemon started with a small -Xmx in an OutOfMemoryError after enough
   * distinct files. A smaller cache only costs re-hashing.
   */
  static int capacity(int configured, long maxHeapBytes) {
    return (int) Math.max(1, Math.min(configured, maxHeapBytes / 4 / BYTES_PER_ENTRY));
  }

  int capacity() {
    return capacity;
  }

  /** The hash of {@code name} in {@code dir}, whose attributes are {@code stat}. */
  String hash(Dir dir, String name, Stat stat) throws IOException {
    FileId id = new FileId(stat.device(), stat.inode());
    Known entry = known.get(id);
    if (entry != null && entry.size() == stat.size() && entry.mtime().equals(stat.mtime())
        && entry.ctime().equals(stat.ctime())) {
      return entry.hash();
    }
    try (OpenFile file = dir.open(name)) {
      Stat opened = file.stat();
      String hash = FileFacts.hash(file);
      // Cache what was hashed only if it did not change while it was read.
      if (file.stat().equals(opened)) {
        known.put(id, new Known(opened.size(), opened.mtime(), opened.ctime(), hash));
      }
      return hash;
    }
  }
}
