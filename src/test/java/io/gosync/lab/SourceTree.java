package io.gosync.lab;

import io.gosync.scan.TreeSnapshot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A source tree as the loopback scenarios copy it: its snapshot (every path's kind, bytes by hash, mode,
 * mtime, link text), and its file count and bytes. A benchmark of a wrong copy is worthless, so every
 * copy is checked whole against it before its time counts.
 */
record SourceTree(Path root, TreeSnapshot snapshot, long files, long bytes) {

  private static final String FILE = "file size=";

  static SourceTree of(Path root) throws IOException {
    TreeSnapshot snapshot = TreeSnapshot.of(root);
    long files = 0;
    long bytes = 0;
    for (String entry : snapshot.entries().values()) {
      if (entry.startsWith(FILE)) {
        files++;
        bytes += Long.parseLong(entry.substring(FILE.length(), entry.indexOf(' ', FILE.length())));
      }
    }
    return new SourceTree(root, snapshot, files, bytes);
  }

  /** Throws, naming the first differences, unless {@code copy} equals the source in everything gosync keeps. */
  void verify(Path copy) throws IOException {
    List<String> differences = snapshot.differences(TreeSnapshot.of(copy));
    if (!differences.isEmpty()) {
      throw new IOException(copy + " differs from the source " + root + " in " + differences.size() + " paths: "
          + differences.subList(0, Math.min(10, differences.size())));
    }
  }

  double gib() {
    return bytes / (double) (1L << 30);
  }
}
