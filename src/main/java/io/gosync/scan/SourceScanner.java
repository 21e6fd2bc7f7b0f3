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
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Builds the manifest of a source tree: metadata for every entry, hashes through the cache. The
 * walk goes by directory handle and never through a link, so a directory swapped for a symlink
 * while it runs cannot lead it out of the source. What it cannot read becomes a SKIP entry, and
 * the reason is kept for the task's report: one bad file does not stop a sync. Directories are
 * scanned (and their files hashed) on the threads of a {@link TreeWalk}; the manifest and the
 * skipped list are sorted afterwards, so they do not depend on which thread came first.
 */
final class SourceScanner implements TreeWalk.Step<SourceScanner.Listed> {

  /**
   * The manifest, "path: reason" (escaped for people) for each path it had to skip, and how many bytes of file
   * contents it read to hash them (0 when the hash cache knew every file).
   */
  record Result(Manifest manifest, List<String> skipped, long hashedBytes) {
  }

  /** A directory of the walk: its wire path and, once opened, its names. */
  record Listed(String path, List<String> names) {
  }

  private record Skip(String path, String line) {
  }

  private final HashCache cache;
  private final TreeWalk walk;
  private final Queue<Entry> entries = new ConcurrentLinkedQueue<>();
  private final Queue<Skip> skipped = new ConcurrentLinkedQueue<>();
  private final LongAdder hashedBytes = new LongAdder();

  SourceScanner(HashCache cache, TreeWalk walk) {
    this.cache = cache;
    this.walk = walk;
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
          walk.run(dir, new Listed("", names), this);
        }
      }
    }
    // A plain sort puts every parent before its children (a prefix sorts first).
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparing(Entry::path));
    List<String> lines = skipped.stream().sorted(Comparator.comparing(Skip::path)).map(Skip::line).toList();
    return new Result(Manifest.of(sorted), lines, hashedBytes.sum());
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

  /** A subdirectory, its entry taken from the opened handle; one that cannot be opened or listed is skipped. */
  @Override
  public TreeWalk.Opened<Listed> open(Dir parent, String name, Listed at) {
    Dir child = null;
    try {
      child = parent.dir(name);
      Stat opened = child.stat();
      List<String> names = child.list();
      entries.add(Entry.dir(at.path(), opened.mtime(), opened.mode()));
      return new TreeWalk.Opened<>(child, new Listed(at.path(), names));
    } catch (IOException | IllegalArgumentException e) {
      if (child != null) {
        child.close();
      }
      skip(at.path(), e);
      return null;
    }
  }

  /** Every entry of one directory; its subdirectories are walked next. */
  @Override
  public List<TreeWalk.Sub<Listed>> visit(Dir dir, Listed listed) {
    List<TreeWalk.Sub<Listed>> below = new ArrayList<>();
    for (String name : listed.names()) {
      String path = WirePath.child(listed.path(), name);
      try {
        if (add(dir, name, path)) {
          below.add(new TreeWalk.Sub<>(name, new Listed(path, null)));
        }
      } catch (IOException | IllegalArgumentException e) {
        skip(path, e);
      }
    }
    return below;
  }

  /** @return whether it is a directory, to be walked */
  private boolean add(Dir dir, String name, String path) throws IOException {
    WirePath.check(path);
    Stat stat = dir.stat(name);
    if (stat == null) {
      return false; // gone since it was listed: the source no longer has it
    }
    switch (stat.kind()) {
      case DIR -> {
        return true;
      }
      case FILE -> entries.add(Entry.file(path, stat.size(), stat.mtime(), stat.mode(),
          cache.hash(dir, name, stat, hashedBytes)));
      case LINK -> entries.add(Entry.link(path, dir.readlink(name), stat.mtime()));
      case OTHER -> { } // sockets, pipes and devices are not synced
    }
    return false;
  }

  private void skip(String path, Exception e) {
    entries.add(Entry.skip(path));
    skipped.add(new Skip(path, Names.display(path) + ": " + reason(e)));
  }

  private static String reason(Exception e) {
    return e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.getMessage();
  }
}
