package io.gosync.scan;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;

/** Builds the manifest of a source tree: metadata for every entry, hashes through the cache. */
final class SourceScanner {

  private final HashCache cache;

  SourceScanner(HashCache cache) {
    this.cache = cache;
  }

  /** Fails with a clear message when the source is missing, special, or an empty directory. */
  static PosixFileAttributes check(Path src, String taskPath) throws IOException {
    PosixFileAttributes attributes = FileFacts.stat(src);
    if (attributes == null) {
      throw new IllegalArgumentException("src: " + taskPath + " does not exist");
    }
    if (attributes.isDirectory()) {
      try (var children = Files.list(src)) {
        if (children.findAny().isEmpty()) {
          throw new IllegalArgumentException("src: directory " + taskPath + " is empty; there is nothing to sync");
        }
      }
    } else if (!attributes.isRegularFile()) {
      throw new IllegalArgumentException("src: " + taskPath + " is neither a directory nor a regular file");
    }
    return attributes;
  }

  Manifest scan(Path src, String taskPath) throws IOException {
    PosixFileAttributes rootAttributes = check(src, taskPath);
    if (rootAttributes.isRegularFile()) {
      return Manifest.of(List.of(fileEntry("", src, rootAttributes)));
    }
    List<Entry> entries = new ArrayList<>();
    Files.walkFileTree(src, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
            PosixFileAttributes posix = FileFacts.stat(dir);
            entries.add(Entry.dir(WirePath.of(src, dir), FileFacts.mtimeNanos(posix), FileFacts.mode(dir)));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            String path = WirePath.of(src, file);
            if (attrs.isSymbolicLink()) {
              entries.add(Entry.link(path, Files.readSymbolicLink(file).toString()));
            } else if (attrs.isRegularFile()) {
              entries.add(fileEntry(path, file, FileFacts.stat(file)));
            }
            // Sockets, pipes and devices are not synced.
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
          }
        });
    // A plain sort puts every parent before its children (a prefix sorts first).
    entries.sort(Comparator.comparing(Entry::path));
    return Manifest.of(entries);
  }

  private Entry fileEntry(String path, Path file, PosixFileAttributes attributes) throws IOException {
    return Entry.file(path, attributes.size(), FileFacts.mtimeNanos(attributes), FileFacts.mode(file),
        cache.hash(file, attributes));
  }
}
