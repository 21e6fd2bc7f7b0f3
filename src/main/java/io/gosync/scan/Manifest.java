package io.gosync.scan;

import io.gosync.fs.Names;
import io.gosync.protocol.Partials;

import java.util.List;
import java.util.Map;

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

  /**
   * Checks what a target says it holds of this manifest's files: the start of a file, never all of it (or it
   * would not be needed). @throws IllegalArgumentException naming the first that cannot be
   */
  public void checkPartials(Partials partials) {
    for (Map.Entry<Integer, Long> partial : partials.asMap().entrySet()) {
      Entry entry = entry(partial.getKey());
      if (entry.kind() != Entry.Kind.FILE || partial.getValue() >= entry.size()) {
        throw new IllegalArgumentException("partials: holds " + partial.getValue() + " bytes of "
            + Names.display(entry.path()) + ", which has "
            + (entry.kind() == Entry.Kind.FILE ? entry.size() + " bytes" : "none: it is not a file"));
      }
    }
  }
}
