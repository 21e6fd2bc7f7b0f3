package io.gosync.scan;

import io.gosync.fs.Dir;
import io.gosync.fs.Names;
import io.gosync.fs.OpenFile;
import io.gosync.fs.Stat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything gosync promises to keep identical about a tree, as one comparable value: for each
 * path (escaped for people), its kind, and for files their bytes (hash), mode and mtime, for
 * directories their mode, for symlinks their target's bytes and mtime. The demo uses it to verify
 * its result; the tests use it to compare whole trees. Read by handle, so any name works.
 */
public record TreeSnapshot(Map<String, String> entries) {

  public static TreeSnapshot of(Path root) throws IOException {
    Map<String, String> entries = new TreeMap<>();
    try (Dir dir = Dir.open(root.toRealPath(), false)) {
      entries.put("/", "dir mode=" + Integer.toOctalString(dir.stat().mode()));
      walk(dir, "", entries);
    }
    return new TreeSnapshot(entries);
  }

  private static void walk(Dir dir, String prefix, Map<String, String> entries) throws IOException {
    for (String name : dir.list()) {
      String path = WirePath.child(prefix, name);
      Stat stat = dir.stat(name);
      String key = "/" + Names.display(path);
      switch (stat.kind()) {
        case DIR -> {
          entries.put(key, "dir mode=" + Integer.toOctalString(stat.mode()));
          try (Dir child = dir.dir(name)) {
            walk(child, path, entries);
          }
        }
        case LINK -> entries.put(key, "link -> " + Names.display(dir.readlink(name)) + " mtime=" + stat.mtime());
        case FILE -> {
          try (OpenFile file = dir.open(name)) {
            entries.put(key, "file size=" + stat.size() + " mode=" + Integer.toOctalString(stat.mode())
                + " mtime=" + stat.mtime() + " sha256=" + FileFacts.hash(file));
          }
        }
        case OTHER -> entries.put(key, "special");
      }
    }
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
