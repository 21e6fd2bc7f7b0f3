package io.gosync.scan;

import io.gosync.fs.Dir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hash cache never outgrows a quarter of the heap, and never trusts a hash taken while the file's times were fresh. */
class HashCacheTest {

  /** A clock this far ahead makes every file written by the test look settled. */
  private static final Duration LATER = Duration.ofSeconds(HashCache.SETTLE_SECONDS + 1);

  @TempDir
  Path dir;

  @Test
  void aSmallHeapLimitsTheCache() {
    assertEquals(174_762, HashCache.capacity(2_000_000, 256L << 20));
  }

  @Test
  void aLargeHeapKeepsTheConfiguredSize() {
    assertEquals(2_000_000, HashCache.capacity(2_000_000, 6L << 30));
    assertEquals(10, HashCache.capacity(10, 256L << 20));
  }

  @Test
  void aFileHashedJustAfterItChangedIsHashedAgainNextTime() throws IOException {
    Files.writeString(dir.resolve("fresh"), "written just now");
    HashCache cache = new HashCache(100);

    assertEquals(16, bytesReadHashing(cache, "fresh"));
    assertEquals(16, bytesReadHashing(cache, "fresh"), "a hash taken within the settle time was trusted");
  }

  @Test
  void aSettledFileIsReadOnceAndThenKnownByItsMetadata() throws IOException {
    Files.writeString(dir.resolve("old"), "written a while ago");
    HashCache cache = new HashCache(100, InstantSource.offset(Clock.systemUTC(), LATER));

    assertEquals(19, bytesReadHashing(cache, "old"));
    assertEquals(0, bytesReadHashing(cache, "old"));
    assertEquals(1, cache.size());
  }

  @Test
  void aFileWithAnMtimeInTheFutureIsNeverTrusted() throws IOException {
    Path file = Files.writeString(dir.resolve("future"), "from tomorrow");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plus(Duration.ofDays(1))));
    HashCache cache = new HashCache(100, InstantSource.offset(Clock.systemUTC(), LATER));

    bytesReadHashing(cache, "future");
    assertEquals(13, bytesReadHashing(cache, "future"));
  }

  /** Hashes a file of the test directory and says how many of its bytes that read. */
  private long bytesReadHashing(HashCache cache, String name) throws IOException {
    LongAdder read = new LongAdder();
    try (Dir handle = Dir.open(dir.toRealPath(), false)) {
      cache.hash(handle, name, handle.stat(name), read);
    }
    return read.sum();
  }
}
