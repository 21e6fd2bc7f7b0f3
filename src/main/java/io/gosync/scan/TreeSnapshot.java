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
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything gosync promises to keep identical about a tree, as one comparable value: for each
 * path, its kind, and for files their bytes (hash), mode and mtime, for directories their mode,
 * for symlinks their target text. The demo uses it to verify its result; the tests use it to
 * compare whole trees.
 */
public record TreeSnapshot(Map<String, String> entries) {

  public static TreeSnapshot of(Path root) throws IOException {
    Map<String, String> entries = new TreeMap<>();
    Path real = root.toRealPath();
    Files.walkFileTree(real, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
            entries.put("/" + WirePath.of(real, dir), "dir mode=" + Integer.toOctalString(FileFacts.mode(dir)));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            String path = "/" + WirePath.of(real, file);
            if (attrs.isSymbolicLink()) {
              entries.put(path, "link -> " + Files.readSymbolicLink(file));
            } else {
              PosixFileAttributes posix = FileFacts.stat(file);
              entries.put(path, "file size=" + posix.size() + " mode=" + Integer.toOctalString(FileFacts.mode(file))
                  + " mtime=" + FileFacts.mtimeNanos(posix) + " sha256=" + FileFacts.hash(file));
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return new TreeSnapshot(entries);
  }

  /** @return a line per path that differs ("path: expected … but was …"); empty when identical */
  public List<String> differences(TreeSnapshot actual) {
    List<String> out = new ArrayList<>();
    TreeMap<String, String> all = new TreeMap<>(entries);
    actual.entries.forEach(all::putIfAbsent);
    for (String path : all.keySet()) {
      String want = entries.get(path);
      String got = actual.entries.get(path);
      if (!Objects.equals(want, got)) {
        out.add(path + ": expected " + (want == null ? "nothing" : want) + " but was " + (got == null ? "nothing" : got));
      }
    }
    return out;
  }
}
