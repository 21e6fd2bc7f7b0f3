package io.gosync.scan;

import io.gosync.fs.Dir;
import io.gosync.fs.OpenFile;
import io.gosync.fs.Stat;
import io.gosync.fs.Timestamp;

import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Remembers file hashes so that re-syncing an unchanged tree reads metadata only. A file is its
 * device and inode; its hash stands while size, mtime and ctime (both in nanoseconds) are the
 * same. ctime matters: a file rewritten at the same size with its mtime put back keeps both, and
 * only ctime (which no user can set) shows the change. Owned by the scanner verticle; the threads
 * of one of its requests may hash at once, so the map is touched under this object's lock (never
 * while a file is read). It outlives the daemon in a file ({@link HashCacheFile}).
 */
final class HashCache {

  /** Heap one entry takes, rounded up: map entry, key, value, two times and the hex hash add up to ~270 bytes. */
  static final long BYTES_PER_ENTRY = 384;

  /**
   * A hash is remembered only when the file's mtime and ctime are this many seconds older than the moment its reading
   * began (git's "racy clean" problem). A file's times come from a clock that ticks in steps (a jiffy on Linux,
   * 2 s on FAT), so a write in the same step as the hash, after it, can leave size, mtime and ctime as they were;
   * trusted later, the old hash would stand for new bytes. 2 s covers the coarsest of those steps; a file changed
   * that recently is hashed again at the next scan, when it has settled.
   */
  static final long SETTLE_SECONDS = 2;

  private record FileId(long device, long inode) {
  }

  private record Known(long size, Timestamp mtime, Timestamp ctime, String hash) {
  }

  /** One entry as it is saved: a file's identity, the attributes its hash stands for, and the hash (hex). */
  record Remembered(long device, long inode, long size, Timestamp mtime, Timestamp ctime, String hash) {
  }

  private final int capacity;
  private final InstantSource clock;
  private final Map<FileId, Known> known;
  /** Whether the map differs from what was last saved or restored. */
  private boolean changed;

  HashCache(int capacity) {
    this(capacity, InstantSource.system());
  }

  /** @param clock when a hash began, against which a file's times must have settled */
  HashCache(int capacity, InstantSource clock) {
    this.capacity = capacity;
    this.clock = clock;
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
    return hash(dir, name, stat, new LongAdder());
  }

  /**
   * The hash of {@code name} in {@code dir}, whose attributes are {@code stat}; what reading the file took is
   * added to {@code hashedBytes} (nothing when the cache knew it).
   */
  String hash(Dir dir, String name, Stat stat, LongAdder hashedBytes) throws IOException {
    FileId id = new FileId(stat.device(), stat.inode());
    String cached = lookup(id, stat);
    if (cached != null) {
      return cached;
    }
    Instant began = clock.instant();
    try (OpenFile file = dir.open(name)) {
      Stat opened = file.stat();
      String hash = FileFacts.hash(file, hashedBytes);
      // Remember what was hashed only if it did not change while it was read, and had settled before.
      if (file.stat().equals(opened) && settled(opened.mtime(), began) && settled(opened.ctime(), began)) {
        remember(id, new Known(opened.size(), opened.mtime(), opened.ctime(), hash));
      }
      return hash;
    }
  }

  private synchronized String lookup(FileId id, Stat stat) {
    Known entry = known.get(id);
    if (entry != null && entry.size() == stat.size() && entry.mtime().equals(stat.mtime())
        && entry.ctime().equals(stat.ctime())) {
      return entry.hash();
    }
    return null;
  }

  private synchronized void remember(FileId id, Known entry) {
    known.put(id, entry);
    changed = true;
  }

  /** Whether a file time lies at least {@link #SETTLE_SECONDS} before {@code began} (any 64-bit time, no overflow). */
  static boolean settled(Timestamp time, Instant began) {
    long bySeconds = began.getEpochSecond() - SETTLE_SECONDS;
    return time.seconds() < bySeconds || time.seconds() == bySeconds && time.nanos() < began.getNano();
  }

  /** @return every entry, least recently used first, if anything changed since the last call; else null */
  synchronized List<Remembered> changes() {
    if (!changed) {
      return null;
    }
    changed = false;
    List<Remembered> all = new ArrayList<>(known.size());
    known.forEach((id, entry) -> all.add(new Remembered(id.device(), id.inode(), entry.size(), entry.mtime(),
        entry.ctime(), entry.hash())));
    return all;
  }

  /** Takes saved entries, least recently used first (the newest are kept when there are more than fit). */
  synchronized void restore(List<Remembered> saved) {
    for (Remembered entry : saved) {
      known.put(new FileId(entry.device(), entry.inode()),
          new Known(entry.size(), entry.mtime(), entry.ctime(), entry.hash()));
    }
  }

  synchronized int size() {
    return known.size();
  }
}
