package io.gosync.scan;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hash cache never outgrows a quarter of the heap, whatever hashCacheEntries says. */
class HashCacheTest {

  @Test
  void aSmallHeapLimitsTheCache() {
    assertEquals(174_762, HashCache.capacity(2_000_000, 256L << 20));
  }

  @Test
  void aLargeHeapKeepsTheConfiguredSize() {
    assertEquals(2_000_000, HashCache.capacity(2_000_000, 6L << 30));
    assertEquals(10, HashCache.capacity(10, 256L << 20));
  }
}
