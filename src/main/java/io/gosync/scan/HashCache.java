package io.gosync.scan;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers file hashes by path, size, mtime and inode, so that re-syncing an unchanged tree
 * reads metadata only. Owned by the scanner verticle and used from its one worker at a time.
 */
final class HashCache {

  /**
   * Heap one entry takes, rounded up: measured about 400 bytes with absolute paths of some 55
   * characters (map entry, path, hex hash, file key); longer paths take more.
   */
  static final long BYTES_PER_ENTRY = 512;

  private record Known(long size, long mtimeNanos, Object fileKey, String hash) {
  }

  private final int capacity;
  private final Map<String, Known> known;

  HashCache(int capacity) {
    this.capacity = capacity;
    this.known = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
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

  String hash(Path file, PosixFileAttributes attributes) throws IOException {
    String key = file.toString();
    Known entry = known.get(key);
    long mtime = FileFacts.mtimeNanos(attributes);
    if (entry != null && entry.size() == attributes.size() && entry.mtimeNanos() == mtime
        && entry.fileKey().equals(attributes.fileKey())) {
      return entry.hash();
    }
    String hash = FileFacts.hash(file);
    known.put(key, new Known(attributes.size(), mtime, attributes.fileKey(), hash));
    return hash;
  }
}
