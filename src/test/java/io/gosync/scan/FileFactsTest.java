package io.gosync.scan;

import io.gosync.fs.Dir;
import io.gosync.fs.Stat;
import io.gosync.fs.Timestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the source may send a file unread by its hash: only what its stat proves unchanged since the scan. */
class FileFactsTest {

  @TempDir
  Path dir;

  @Test
  void aFileIsUnchangedSinceAScanOnlyWithTheEntrysSizeAndMtimeAndTimesSettledBeforeTheScan() throws IOException {
    Files.write(dir.resolve("f"), new byte[100]);
    Stat stat;
    try (Dir parent = Dir.open(dir, false)) {
      stat = parent.stat("f");
    }
    Entry entry = Entry.file("f", 100, stat.mtime(), 0644, "00".repeat(32));
    Instant now = Instant.now();

    assertTrue(FileFacts.unchangedSince(stat, entry, now.plusSeconds(3)), "times settled before a later scan");
    assertFalse(FileFacts.unchangedSince(stat, entry, now), "times as fresh as the scan: it may have changed in the same step");
    assertFalse(FileFacts.unchangedSince(stat, Entry.file("f", 101, stat.mtime(), 0644, entry.hash()), now.plusSeconds(3)),
        "another size");
    Timestamp other = Timestamp.ofEpochNanos(stat.mtime().seconds() * 1_000_000_000L - 1_000_000_000L);
    assertFalse(FileFacts.unchangedSince(stat, Entry.file("f", 100, other, 0644, entry.hash()), now.plusSeconds(3)),
        "another mtime");
  }
}
