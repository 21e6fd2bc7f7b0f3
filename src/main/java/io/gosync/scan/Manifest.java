package io.gosync.scan;

import java.util.List;

/**
 * What the source has: entry 0 is the synced root itself (a directory, or the one file when the
 * source is a single file), then every entry below it, parents before children.
 */
public record Manifest(List<Entry> entries, long fileCount, long totalBytes) {

  public Manifest {
    entries = List.copyOf(entries);
    if (entries.isEmpty() || !entries.get(0).path().isEmpty()) {
      throw new IllegalArgumentException("a manifest starts with its root entry");
    }
  }

  public static Manifest of(List<Entry> entries) {
    long files = 0;
    long bytes = 0;
    for (Entry entry : entries) {
      if (entry.isFile()) {
        files++;
        bytes += entry.size();
      }
    }
    return new Manifest(entries, files, bytes);
  }

  public boolean singleFile() {
    return entries.get(0).isFile();
  }

  public Entry entry(int index) {
    return entries.get(index);
  }

  public int size() {
    return entries.size();
  }
}
