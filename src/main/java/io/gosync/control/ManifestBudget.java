package io.gosync.control;

import io.gosync.budget.Budget;
import io.gosync.scan.ManifestCodec;

/**
 * What the manifests of this node's target parts may hold together, however many tasks it serves at once:
 * entries, and the bytes they decode to. A part reserves its share before it fetches a byte, by the entry
 * count its prepare request announces, and gives it back when it closes; the decode then holds the manifest
 * to that share. Owned by the task control verticle, used on its event loop only.
 */
final class ManifestBudget {

  /**
   * Half the heap, at 1 KiB an entry: what a target holds per file while a task runs (measured for
   * config/daemon-jvm.options; decoded alone, a file entry holds 224-241 bytes and its decode peaks near
   * 350). 129,856 entries at -Xmx256m; the hash cache may take another quarter.
   */
  static final int ENTRIES_HEAP_SHARE = 2;
  static final long ENTRY_HEAP_BYTES = 1024;
  /**
   * An eighth of the heap for decoded bytes, 256 an entry of the entry budget. A file entry decodes to 53
   * bytes and its path, so this holds paths of 200 bytes on average where real trees measured 20-100.
   */
  static final int BYTES_HEAP_SHARE = 8;
  /** What the smallest manifest may decode to: a few entries with paths of the longest kind (4,096 bytes). */
  static final long MIN_BYTES = 64 * 1024;

  /** One part's share: what its manifest may be, and what it gives back. */
  record Share(int entries, long bytes) {
    ManifestCodec.Limits limits() {
      return new ManifestCodec.Limits(entries, bytes);
    }
  }

  private final Budget entries;
  private final Budget bytes;

  ManifestBudget(Budget entries, Budget bytes) {
    this.entries = entries;
    this.bytes = bytes;
  }

  static ManifestBudget ofHeap(long heapBytes) {
    return new ManifestBudget(Budget.ofHeap("entries", heapBytes, ENTRIES_HEAP_SHARE, ENTRY_HEAP_BYTES),
        Budget.ofHeap("decoded bytes", heapBytes, BYTES_HEAP_SHARE, 1));
  }

  /**
   * Reserves the share of a manifest of {@code announced} entries: as many entries, and the bytes budget's
   * part in proportion (at least {@link #MIN_BYTES}).
   *
   * @throws IllegalArgumentException naming the manifest when it does not fit; nothing is reserved then
   */
  Share reserve(int announced) {
    if (announced < 1) {
      throw new IllegalArgumentException("manifest.entries: must be the manifest's entry count, at least 1,"
          + " for this node reserves its budget by it");
    }
    try {
      entries.take(announced);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("manifest: " + e.getMessage());
    }
    long share = Math.max(MIN_BYTES, (long) ((double) announced / entries.capacity() * bytes.capacity()));
    try {
      bytes.take(share);
    } catch (IllegalArgumentException e) {
      entries.give(announced);
      throw new IllegalArgumentException("manifest of " + announced + " entries: " + e.getMessage());
    }
    return new Share(announced, share);
  }

  void release(Share share) {
    entries.give(share.entries());
    bytes.give(share.bytes());
  }

  long freeEntries() {
    return entries.free();
  }

  long freeBytes() {
    return bytes.free();
  }
}
