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

  private record Key(String path) {
  }

  private record Known(long size, long mtimeNanos, Object fileKey, String hash) {
  }

  private final Map<Key, Known> known;

  HashCache(int capacity) {
    this.known = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, Known> eldest) {
        return size() > capacity;
      }
    };
  }

  String hash(Path file, PosixFileAttributes attributes) throws IOException {
    Key key = new Key(file.toString());
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
