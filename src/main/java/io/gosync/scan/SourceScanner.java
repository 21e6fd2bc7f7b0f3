package io.gosync.scan;

import io.gosync.fs.Dir;
import io.gosync.fs.Names;
import io.gosync.fs.Stat;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Builds the manifest of a source tree: metadata for every entry, hashes through the cache. The
 * walk goes by directory handle and never through a link, so a directory swapped for a symlink
 * while it runs cannot lead it out of the source. What it cannot read becomes a SKIP entry, and
 * the reason is kept for the task's report: one bad file does not stop a sync.
 */
final class SourceScanner {

  /**
   * The manifest, "path: reason" (escaped for people) for each path it had to skip, and how many bytes of file
   * contents it read to hash them (0 when the hash cache knew every file).
   */
  record Result(Manifest manifest, List<String> skipped, long hashedBytes) {
  }

  private final HashCache cache;
  private final List<Entry> entries = new ArrayList<>();
  private final List<String> skipped = new ArrayList<>();
  private final LongAdder hashedBytes = new LongAdder();

  SourceScanner(HashCache cache) {
    this.cache = cache;
  }

  /** Fails with a clear message when the source is missing, special, or an empty directory. */
  static void check(Path src, String taskPath) throws IOException {
    try (Dir parent = openParent(src, taskPath)) {
      Stat stat = rootStat(parent, src, taskPath);
      if (stat.isDirectory()) {
        try (Dir dir = parent.dir(src.getFileName().toString())) {
          listNonEmpty(dir, taskPath);
        }
      }
    }
  }

  /** Scans the source, making the checks of {@link #check} on the way (each directory is listed once). */
  Result scan(Path src, String taskPath) throws IOException {
    String name = src.getFileName().toString();
    try (Dir parent = openParent(src, taskPath)) {
      Stat root = rootStat(parent, src, taskPath);
      if (root.isFile()) {
        entries.add(Entry.file("", root.size(), root.mtime(), root.mode(), cache.hash(parent, name, root, hashedBytes)));
      } else {
        try (Dir dir = parent.dir(name)) {
          List<String> names = listNonEmpty(dir, taskPath);
          entries.add(Entry.dir("", root.mtime(), root.mode()));
          walk(dir, "", names);
        }
      }
    }
    // A plain sort puts every parent before its children (a prefix sorts first).
    entries.sort(Comparator.comparing(Entry::path));
    return new Result(Manifest.of(entries), List.copyOf(skipped), hashedBytes.sum());
  }

  private static Dir openParent(Path src, String taskPath) throws IOException {
    try {
      return Dir.open(src.getParent(), false);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("src: " + taskPath + " does not exist");
    }
  }

  /** The source's own attributes: it must exist and be a directory or a regular file. */
  private static Stat rootStat(Dir parent, Path src, String taskPath) throws IOException {
    Stat stat = parent.stat(src.getFileName().toString());
    if (stat == null) {
      throw new IllegalArgumentException("src: " + taskPath + " does not exist");
    }
    if (!stat.isDirectory() && !stat.isFile()) {
      throw new IllegalArgumentException("src: " + taskPath + " is neither a directory nor a regular file");
    }
    return stat;
  }

  private static List<String> listNonEmpty(Dir dir, String taskPath) throws IOException {
    List<String> names = dir.list();
    if (names.isEmpty()) {
      throw new IllegalArgumentException("src: directory " + taskPath + " is empty; there is nothing to sync");
    }
    return names;
  }

  private void walk(Dir dir, String prefix, List<String> names) {
    for (String name : names) {
      String path = WirePath.child(prefix, name);
      try {
        add(dir, name, path);
      } catch (IOException | IllegalArgumentException e) {
        entries.add(Entry.skip(path));
        skipped.add(Names.display(path) + ": " + reason(e));
      }
    }
  }

  private void add(Dir dir, String name, String path) throws IOException {
    WirePath.check(path);
    Stat stat = dir.stat(name);
    if (stat == null) {
      return; // gone since it was listed: the source no longer has it
    }
    switch (stat.kind()) {
      case DIR -> {
        try (Dir child = dir.dir(name)) {
          Stat opened = child.stat();
          List<String> names = child.list();
          entries.add(Entry.dir(path, opened.mtime(), opened.mode()));
          walk(child, path, names);
        }
      }
      case FILE -> entries.add(Entry.file(path, stat.size(), stat.mtime(), stat.mode(), cache.hash(dir, name, stat, hashedBytes)));
      case LINK -> entries.add(Entry.link(path, dir.readlink(name), stat.mtime()));
      case OTHER -> { } // sockets, pipes and devices are not synced
    }
  }

  private static String reason(Exception e) {
    return e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.getMessage();
  }
}
