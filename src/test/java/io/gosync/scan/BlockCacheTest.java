package io.gosync.scan;

import io.gosync.protocol.BlockList;
import io.gosync.fs.Dir;
import io.gosync.fs.OpenFile;
import io.gosync.fs.Stat;
import io.gosync.fs.Timestamp;
import io.gosync.relay.wire.Frames;
import io.gosync.scan.BlockHashes.Hashed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The block cache: HashCache's rules for what it trusts, a byte budget for what it keeps, and what it saves. */
class BlockCacheTest {

  private static final int MIB = 1 << 20;
  /** Three blocks: an entry of 384 + 3 * 32 = 480 bytes. */
  private static final int SIZE = 2 * MIB + 1;
  private static final long ENTRY = BlockCache.BYTES_PER_ENTRY + 3 * 32;
  private static final InstantSource LATER =
      InstantSource.offset(Clock.systemUTC(), Duration.ofSeconds(HashCache.SETTLE_SECONDS + 1));

  @TempDir
  Path dir;

  @Test
  void theSmallFileLimitIsTheWires() {
    assertEquals(Frames.SMALL_FILE, BlockCache.SMALL_FILE);
  }

  @Test
  void aSettledFileIsReadOnceAndThenKnownByItsMetadata() throws IOException {
    write("f", SIZE, 1);
    BlockCache cache = new BlockCache(1 << 20, LATER);
    LongAdder first = new LongAdder();
    LongAdder second = new LongAdder();

    Hashed read = hashed(cache, "f", first);
    Hashed known = hashed(cache, "f", second);

    assertEquals(SIZE, first.sum());
    assertEquals(0, second.sum());
    assertEquals(read, known);
    assertEquals(read, readDirectly("f"));
    assertEquals(1, cache.size());
    assertEquals(ENTRY, cache.heldBytes());
  }

  @Test
  void aFileReadJustAfterItChangedIsReadAgainNextTime() throws IOException {
    write("f", SIZE, 2);
    BlockCache cache = new BlockCache(1 << 20);

    assertEquals(SIZE, bytesRead(cache, "f"));
    assertEquals(SIZE, bytesRead(cache, "f"), "a list taken within the settle time was trusted");
    assertEquals(0, cache.size());
    assertNull(cache.changes());
  }

  @Test
  void aFileWithAnMtimeInTheFutureIsNeverTrusted() throws IOException {
    Path file = write("f", SIZE, 3);
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plus(Duration.ofDays(1))));
    BlockCache cache = new BlockCache(1 << 20, LATER);

    bytesRead(cache, "f");
    assertEquals(SIZE, bytesRead(cache, "f"));
  }

  /** An mtime set a day back settles it, but the ctime that setting it made is fresh: not trusted either. */
  @Test
  void aFileWhoseCtimeAloneIsFreshIsReadAgainNextTime() throws IOException {
    Path file = write("f", SIZE, 15);
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofDays(1))));
    BlockCache cache = new BlockCache(1 << 20);

    bytesRead(cache, "f");
    assertEquals(SIZE, bytesRead(cache, "f"));
  }

  /** Same size, mtime put back: only ctime shows the change, and the new blocks are read. */
  @Test
  void aFileRewrittenWithItsMtimePutBackIsReadAgain() throws IOException {
    Path file = write("f", SIZE, 4);
    BlockCache cache = new BlockCache(1 << 20, LATER);
    Hashed before = hashed(cache, "f", new LongAdder());
    FileTime mtime = Files.getLastModifiedTime(file);
    write("f", SIZE, 5);
    Files.setLastModifiedTime(file, mtime);

    LongAdder read = new LongAdder();
    Hashed after = hashed(cache, "f", read);

    assertEquals(SIZE, read.sum());
    assertNotEquals(before, after);
    assertEquals(readDirectly("f"), after);
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, MIB, BlockList.MAX_FILE_SIZE + 1})
  void aFileThatIsSmallOrHasNoListIsRefusedUnread(long size) throws IOException {
    write("f", 10, 6);
    BlockCache cache = new BlockCache(1 << 20, LATER);
    LongAdder read = new LongAdder();
    Stat stat = new Stat(Stat.Kind.FILE, 0644, size, new Timestamp(1, 0), new Timestamp(1, 0), 1, 2, 1);

    IllegalArgumentException e;
    try (Dir handle = Dir.open(dir.toRealPath(), false)) {
      e = assertThrows(IllegalArgumentException.class, () -> cache.hashed(handle, "f", stat, read));
    }

    assertTrue(e.getMessage().startsWith("a file of " + size + " bytes is sent whole"), e.getMessage());
    assertEquals(0, read.sum());
  }

  @Test
  void aFileThatShrankToSmallSinceItsStatIsReadButNotKept() throws IOException {
    write("f", SIZE, 7);
    BlockCache cache = new BlockCache(1 << 20, LATER);
    LongAdder read = new LongAdder();
    Hashed hashed;
    try (Dir handle = Dir.open(dir.toRealPath(), false)) {
      Stat stat = handle.stat("f");
      write("f", 100, 8);
      hashed = cache.hashed(handle, "f", stat, read);
    }

    assertEquals(100, hashed.blocks().fileSize());
    assertEquals(0, cache.size());
  }

  @Test
  void theLeastRecentlyUsedGoesWhenTheBytesAreSpent() throws IOException {
    for (String name : List.of("a", "b", "c")) {
      write(name, SIZE, name.charAt(0));
    }
    BlockCache cache = new BlockCache(2 * ENTRY, LATER);
    bytesRead(cache, "a");
    bytesRead(cache, "b");
    bytesRead(cache, "a");

    bytesRead(cache, "c");

    assertEquals(2, cache.size());
    assertEquals(2 * ENTRY, cache.heldBytes());
    assertEquals(0, bytesRead(cache, "a") + bytesRead(cache, "c"));
    assertEquals(SIZE, bytesRead(cache, "b"), "the least recently used was kept");
  }

  @Test
  void anEntryLargerThanTheWholeBudgetIsNotKeptAndEvictsNothing() throws IOException {
    write("small", SIZE, 9);
    write("large", 5 * MIB, 10);
    BlockCache cache = new BlockCache(ENTRY + 32, LATER);
    bytesRead(cache, "small");

    assertEquals(5 * MIB, bytesRead(cache, "large"));

    assertEquals(5 * MIB, bytesRead(cache, "large"));
    assertEquals(0, bytesRead(cache, "small"));
    assertEquals(ENTRY, cache.heldBytes());
  }

  @Test
  void aBudgetThatHoldsNothingIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new BlockCache(0));
  }

  @Test
  void changesAreGivenOnceAfterAReadWasKeptAndNotAfterARestore() throws IOException {
    write("a", SIZE, 11);
    write("b", SIZE, 12);
    BlockCache cache = new BlockCache(1 << 20, LATER);
    assertNull(cache.changes());
    bytesRead(cache, "a");
    bytesRead(cache, "b");
    bytesRead(cache, "a");

    List<BlockCache.Remembered> changes = cache.changes();

    assertEquals(List.of(readDirectly("b").blocks(), readDirectly("a").blocks()),
        changes.stream().map(BlockCache.Remembered::blocks).toList(), "least recently used first");
    assertEquals(readDirectly("a").hash(), changes.get(1).hash());
    assertNull(cache.changes());
    BlockCache restored = new BlockCache(1 << 20, LATER);
    restored.restore(changes);
    assertNull(restored.changes());
    assertEquals(0, bytesRead(restored, "a") + bytesRead(restored, "b"));
  }

  @Test
  void aRestoreBeyondTheBudgetKeepsTheNewest() throws IOException {
    for (String name : List.of("a", "b", "c")) {
      write(name, SIZE, name.charAt(0));
    }
    BlockCache before = new BlockCache(1 << 20, LATER);
    bytesRead(before, "a");
    bytesRead(before, "b");
    bytesRead(before, "c");

    BlockCache after = new BlockCache(2 * ENTRY, LATER);
    after.restore(before.changes());

    assertEquals(0, bytesRead(after, "b") + bytesRead(after, "c"));
    assertEquals(SIZE, bytesRead(after, "a"));
  }

  /**
   * Issue 13: a file this node built from its old version is learned as it landed, times not settled, so that the
   * next delta of it needs no read; a later change to it is a miss.
   */
  @Test
  void aLearnedFileNeedsNoReadUntilItChanges() throws IOException {
    write("f", SIZE, 13);
    BlockCache blocks = new BlockCache(1 << 20);
    Hashed built = hashed(new BlockCache(1 << 20, LATER), "f", new LongAdder());
    try (Dir handle = Dir.open(dir.toRealPath(), false)) {
      blocks.learn(handle.stat("f"), built);
    }

    assertEquals(0, bytesRead(blocks, "f"));
    write("f", SIZE, 14);
    assertEquals(SIZE, bytesRead(blocks, "f"));
  }

  /** A list that is not of the file's size (a wrong message) is not taken: the file is read. */
  @Test
  void aLearnedListOfAnotherSizeIsNotTaken() throws IOException {
    write("f", SIZE, 15);
    write("g", SIZE + 1, 16);
    BlockCache blocks = new BlockCache(1 << 20);
    Hashed other = hashed(new BlockCache(1 << 20, LATER), "g", new LongAdder());
    try (Dir handle = Dir.open(dir.toRealPath(), false)) {
      blocks.learn(handle.stat("f"), other);
    }

    assertEquals(SIZE, bytesRead(blocks, "f"));
  }

  /** Threads of one request read at once while entries are evicted: each gets its file's list, the budget holds. */
  @Test
  void threadsReadingAtOnceEachGetTheirFilesListAndTheBudgetHolds() throws Exception {
    List<String> names = List.of("a", "b", "c", "d");
    List<Hashed> expected = new ArrayList<>();
    for (String name : names) {
      write(name, SIZE, name.charAt(0) + 100);
      expected.add(readDirectly(name));
    }
    BlockCache cache = new BlockCache(3 * ENTRY, LATER);
    ExecutorService threads = Executors.newFixedThreadPool(3);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        int offset = t;
        results.add(threads.submit(() -> {
          boolean all = true;
          for (int round = 0; round < 12; round++) {
            int i = (round + offset) % names.size();
            all &= hashed(cache, names.get(i), new LongAdder()).equals(expected.get(i));
          }
          return all;
        }));
      }
      for (Future<Boolean> result : results) {
        assertTrue(result.get());
      }
    } finally {
      threads.shutdownNow();
    }
    assertEquals(3, cache.size());
    assertEquals(3 * ENTRY, cache.heldBytes());
  }

  private Path write(String name, int size, long seed) throws IOException {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return Files.write(dir.resolve(name), bytes);
  }

  private Hashed hashed(BlockCache cache, String name, LongAdder read) throws IOException {
    try (Dir handle = Dir.open(dir.toRealPath(), false)) {
      return cache.hashed(handle, name, handle.stat(name), read);
    }
  }

  private long bytesRead(BlockCache cache, String name) throws IOException {
    LongAdder read = new LongAdder();
    hashed(cache, name, read);
    return read.sum();
  }

  private Hashed readDirectly(String name) throws IOException {
    try (Dir handle = Dir.open(dir.toRealPath(), false); OpenFile file = handle.open(name)) {
      return BlockHashes.read(file, file.stat().size(), new LongAdder());
    }
  }
}
