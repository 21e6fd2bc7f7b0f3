package io.gosync.scan;

import io.gosync.fs.Dir;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hash cache outlives its daemon in a file; a file that is not a good one is ignored, with one log line. */
class HashCacheFileTest {

  private static final InstantSource LATER =
      InstantSource.offset(Clock.systemUTC(), Duration.ofSeconds(HashCache.SETTLE_SECONDS + 1));

  @TempDir
  Path base;
  private Path tree;
  private Path state;
  private final StateFileLog log = new StateFileLog();

  @BeforeEach
  void filesAndLog() throws IOException {
    tree = Files.createDirectories(base.resolve("tree"));
    state = base.resolve("state");
    for (int i = 0; i < 5; i++) {
      Files.writeString(tree.resolve("f" + i), "file number " + i);
    }
    log.attach();
  }

  @AfterEach
  void detachLog() {
    log.detach();
  }

  @Test
  void aSavedCacheIsRestoredSoThatNoFileIsReadAgain() throws IOException {
    HashCacheFile file = new HashCacheFile(state, "node0");
    HashCache before = new HashCache(100, LATER);
    assertEquals(5 * 13, hashAll(before));
    assertTrue(file.saveChanges(before));

    HashCache after = new HashCache(100, LATER);
    assertEquals(5, new HashCacheFile(state, "node0").restoreInto(after));

    assertEquals(0, hashAll(after));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path())));
    assertFalse(Files.exists(state.resolve("hash-cache-node0.tmp")), "the temporary file was left behind");
  }

  @Test
  void aFileChangedAfterTheRestoreIsHashedAgain() throws IOException {
    HashCache before = new HashCache(100, LATER);
    hashAll(before);
    new HashCacheFile(state, "node0").saveChanges(before);
    Path changed = tree.resolve("f3");
    var mtime = Files.getLastModifiedTime(changed);
    Files.writeString(changed, "FILE NUMBER 3");
    Files.setLastModifiedTime(changed, mtime);

    HashCache after = new HashCache(100, LATER);
    new HashCacheFile(state, "node0").restoreInto(after);

    assertEquals(13, hashAll(after));
  }

  @Test
  void aSmallerCacheRestoresTheMostRecentlyUsedEntries() throws IOException {
    HashCache before = new HashCache(100, LATER);
    hashAll(before);
    new HashCacheFile(state, "node0").saveChanges(before);

    HashCache after = new HashCache(2, LATER);
    assertEquals(2, new HashCacheFile(state, "node0").restoreInto(after));

    assertEquals(0, bytesReadHashing(after, "f4") + bytesReadHashing(after, "f3"));
    assertEquals(13, bytesReadHashing(after, "f0"));
  }

  /** Damage at the start (magic), in the node's name, in a record, in the checksum; cut short; grown. */
  @ParameterizedTest
  @ValueSource(strings = {"flip:0", "flip:11", "flip:40", "flip:-1", "truncate", "append"})
  void aDamagedFileIsIgnoredWithOneLogLineAndTheCacheStartsEmpty(String damage) throws IOException {
    HashCache before = new HashCache(100, LATER);
    hashAll(before);
    HashCacheFile file = new HashCacheFile(state, "node0");
    file.saveChanges(before);
    damage(file.path(), damage);

    HashCache after = new HashCache(100, LATER);
    assertEquals(0, new HashCacheFile(state, "node0").restoreInto(after));

    assertEquals(0, after.size());
    assertEquals(1, log.warnings().size(), log.warnings()::toString);
    assertTrue(log.warnings().get(0).contains("ignored, starting with an empty cache"), log.warnings()::toString);
    assertEquals(5 * 13, hashAll(after));
  }

  /**
   * A flipped bit in a record is damage whatever value it makes: here the top bit of the first record's mtime
   * nanoseconds (19 header bytes for "node0", then device, inode, size and seconds), which made "a time of
   * -2,1xx,xxx,xxx nanoseconds" before the checksum was checked first, and its hash, which parses either way.
   */
  @ParameterizedTest
  @ValueSource(ints = {19 + 32, 19 + 48 + 10})
  void aDamagedRecordIsNamedAsDamageWhatValueTheFlipMakes(int at) throws IOException {
    HashCache before = new HashCache(100, LATER);
    hashAll(before);
    HashCacheFile file = new HashCacheFile(state, "node0");
    file.saveChanges(before);
    try (RandomAccessFile raw = new RandomAccessFile(file.path().toFile(), "rw")) {
      raw.seek(at);
      int b = raw.read();
      raw.seek(at);
      raw.write(b ^ 0x80);
    }

    assertEquals(0, new HashCacheFile(state, "node0").restoreInto(new HashCache(100, LATER)));

    assertEquals(1, log.warnings().size(), log.warnings()::toString);
    assertTrue(log.warnings().get(0).endsWith("its checksum does not match its contents"), log.warnings()::toString);
  }

  @Test
  void anotherNodesFileIsIgnoredAndSaysWhose() throws IOException {
    HashCache theirs = new HashCache(100, LATER);
    hashAll(theirs);
    new HashCacheFile(state, "node1").saveChanges(theirs);
    Files.move(state.resolve("hash-cache-node1"), state.resolve("hash-cache-node0"));

    assertEquals(0, new HashCacheFile(state, "node0").restoreInto(new HashCache(100, LATER)));

    assertTrue(log.warnings().get(0).contains("node1's, not node0's"), log.warnings()::toString);
  }

  @Test
  void anUnwritableStateDirectoryIsLoggedOnceAndTheCacheStillWorks() throws IOException {
    Path blocked = Files.writeString(base.resolve("a-file"), "not a directory").resolve("state");
    HashCacheFile file = new HashCacheFile(blocked, "node0");
    HashCache cache = new HashCache(100, LATER);
    hashAll(cache);

    assertFalse(file.saveChanges(cache));
    Files.writeString(tree.resolve("f5"), "one file more");
    hashAll(cache);
    assertFalse(file.saveChanges(cache));

    assertEquals(1, log.warnings().size(), log.warnings()::toString);
    assertTrue(log.warnings().get(0).contains("not saved to " + blocked.resolve("hash-cache-node0")), log.warnings()::toString);
    assertEquals(0, hashAll(cache));
  }

  @Test
  void noFileYetIsAnEmptyCacheWithoutAWarning() {
    assertEquals(0, new HashCacheFile(state, "node0").restoreInto(new HashCache(100, LATER)));
    assertEquals(List.of(), log.warnings());
  }

  private static void damage(Path file, String how) throws IOException {
    try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
      if (how.equals("truncate")) {
        raw.setLength(raw.length() - 7);
      } else if (how.equals("append")) {
        raw.seek(raw.length());
        raw.write(0);
      } else {
        int at = Integer.parseInt(how.substring("flip:".length()));
        long position = at >= 0 ? at : raw.length() + at;
        raw.seek(position);
        int b = raw.read();
        raw.seek(position);
        raw.write(b ^ 0x10);
      }
    }
  }

  private long hashAll(HashCache cache) throws IOException {
    long read = 0;
    try (var names = Files.list(tree)) {
      for (Path file : names.sorted().toList()) {
        read += bytesReadHashing(cache, file.getFileName().toString());
      }
    }
    return read;
  }

  private long bytesReadHashing(HashCache cache, String name) throws IOException {
    LongAdder read = new LongAdder();
    try (Dir handle = Dir.open(tree.toRealPath(), false)) {
      cache.hash(handle, name, handle.stat(name), read);
    }
    return read.sum();
  }
}
