package io.gosync.scan;

import io.gosync.protocol.BlockList;
import io.gosync.fs.Dir;
import io.gosync.fs.OpenFile;
import io.gosync.fs.Stat;
import io.gosync.fs.Timestamp;
import io.gosync.scan.BlockHashes.Hashed;

import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Remembers the block lists of large files (issue 13), so that a target works out which blocks of its old
 * version it holds, and a source what to offer, without reading an unchanged file again. {@link HashCache}'s
 * rules: a file is its device and inode; its list stands while size, mtime and ctime are the same; it is kept
 * only if the file's times had settled when the read began and its stat did not change during the read. Bounded
 * by bytes, not entries (a list takes 32 bytes to 128 KiB), the least recently used going first. The map is
 * touched under this object's lock, never while a file is read. It outlives the daemon in a file
 * ({@link BlockCacheFile}).
 */
final class BlockCache {

  /**
   * Files up to this size are sent whole and have no list here: the wire's Frames.SMALL_FILE, which scan may
   * not import (BlockCacheTest holds the two equal).
   */
  static final long SMALL_FILE = 1 << 20;

  /**
   * Heap one entry takes besides its hashes, estimated and rounded up: HashCache's ~270 bytes (map entry, key,
   * value, two times, the hex hash), a larger value record (~16) and the list's object and array header (~40).
   */
  static final long BYTES_PER_ENTRY = 384;

  private record FileId(long device, long inode) {
  }

  private record Known(long size, Timestamp mtime, Timestamp ctime, Hashed hashed) {

    long bytes() {
      return cost(hashed.blocks());
    }
  }

  /** One entry as it is saved: a file's identity, the attributes its lists stand for, its hash and block list. */
  record Remembered(long device, long inode, Timestamp mtime, Timestamp ctime, String hash, BlockList blocks) {

    long size() {
      return blocks.fileSize();
    }
  }

  private final long capacityBytes;
  private final InstantSource clock;
  /** Least recently used first. */
  private final LinkedHashMap<FileId, Known> known = new LinkedHashMap<>(256, 0.75f, true);
  private long heldBytes;
  /** Whether the map differs from what was last saved or restored. */
  private boolean changed;

  /** @param capacityBytes the heap its entries may take, as {@link #cost} counts it */
  BlockCache(long capacityBytes) {
    this(capacityBytes, InstantSource.system());
  }

  /** @param clock when a read began, against which a file's times must have settled */
  BlockCache(long capacityBytes, InstantSource clock) {
    if (capacityBytes < 1) {
      throw new IllegalArgumentException("a block cache of " + capacityBytes + " bytes holds nothing");
    }
    this.capacityBytes = capacityBytes;
    this.clock = clock;
  }

  /** The heap an entry with this list takes: its hashes and {@link #BYTES_PER_ENTRY}. */
  static long cost(BlockList blocks) {
    return BYTES_PER_ENTRY + (long) blocks.count() * BlockList.HASH_BYTES;
  }

  long capacityBytes() {
    return capacityBytes;
  }

  /**
   * The whole-file hash and block list of large file {@code name} in {@code dir}, whose attributes are
   * {@code stat}: remembered, or read (adding what that read to {@code hashedBytes}). A file that changed since
   * {@code stat} was taken is read as it is when opened.
   *
   * @throws IllegalArgumentException for a file of {@code stat} that is small (sent whole) or has no block list
   * @throws BlockHashes.ChangedWhileRead when it changed during the read
   */
  Hashed hashed(Dir dir, String name, Stat stat, LongAdder hashedBytes) throws IOException {
    if (stat.size() <= SMALL_FILE || stat.size() > BlockList.MAX_FILE_SIZE) {
      throw new IllegalArgumentException("a file of " + stat.size() + " bytes is sent whole: it has no block list"
          + " here (" + SMALL_FILE + " < size <= " + BlockList.MAX_FILE_SIZE + ")");
    }
    FileId id = new FileId(stat.device(), stat.inode());
    Known cached = lookup(id, stat);
    if (cached != null) {
      return cached.hashed();
    }
    Instant began = clock.instant();
    try (OpenFile file = dir.open(name)) {
      Stat opened = file.stat();
      Hashed read = BlockHashes.read(file, opened.size(), hashedBytes);
      if (opened.size() > SMALL_FILE && file.stat().equals(opened) && HashCache.settled(opened.mtime(), began)
          && HashCache.settled(opened.ctime(), began)) {
        remember(id, new Known(opened.size(), opened.mtime(), opened.ctime(), read));
      }
      return read;
    }
  }

  /**
   * Takes the hash and list of a file this node built from its old version and verified whole (issue 13), as
   * {@code stat} shows it landed. Not under the settled rule, as this cache's reads are: its times are of now, and a
   * change in the same clock tick that this entry misses could only give a delta that fails its SHA-256 and is
   * fetched again whole, never a wrong file. Nothing here ever feeds the hash cache, whose answers are trusted.
   */
  void learn(Stat stat, Hashed hashed) {
    if (stat.size() == hashed.blocks().fileSize() && stat.size() > SMALL_FILE) {
      remember(new FileId(stat.device(), stat.inode()), new Known(stat.size(), stat.mtime(), stat.ctime(), hashed));
    }
  }

  private synchronized Known lookup(FileId id, Stat stat) {
    Known entry = known.get(id);
    if (entry != null && entry.size() == stat.size() && entry.mtime().equals(stat.mtime())
        && entry.ctime().equals(stat.ctime())) {
      return entry;
    }
    return null;
  }

  private synchronized void remember(FileId id, Known entry) {
    put(id, entry);
    changed = true;
  }

  /** Puts the entry as the most recent and evicts the least recent until all fit; one larger than all is left out. */
  private void put(FileId id, Known entry) {
    Known old = known.remove(id);
    if (old != null) {
      heldBytes -= old.bytes();
    }
    if (entry.bytes() > capacityBytes) {
      return;
    }
    known.put(id, entry);
    heldBytes += entry.bytes();
    for (Iterator<Known> eldest = known.values().iterator(); heldBytes > capacityBytes; ) {
      heldBytes -= eldest.next().bytes();
      eldest.remove();
    }
  }

  /** @return every entry, least recently used first, if anything changed since the last call; else null */
  synchronized List<Remembered> changes() {
    if (!changed) {
      return null;
    }
    changed = false;
    List<Remembered> all = new ArrayList<>(known.size());
    known.forEach((id, entry) -> all.add(new Remembered(id.device(), id.inode(), entry.mtime(), entry.ctime(),
        entry.hashed().hash(), entry.hashed().blocks())));
    return all;
  }

  /** Takes saved entries, least recently used first (the newest are kept when there are more than fit). */
  synchronized void restore(List<Remembered> saved) {
    for (Remembered entry : saved) {
      put(new FileId(entry.device(), entry.inode()), new Known(entry.size(), entry.mtime(), entry.ctime(),
          new Hashed(entry.hash(), entry.blocks())));
    }
  }

  synchronized int size() {
    return known.size();
  }

  /** The heap its entries take, as {@link #cost} counts it; at most {@link #capacityBytes}. */
  synchronized long heldBytes() {
    return heldBytes;
  }
}
