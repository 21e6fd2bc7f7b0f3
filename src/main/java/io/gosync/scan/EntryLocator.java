package io.gosync.scan;

import io.gosync.fs.Dir;
import io.gosync.fs.OpenFile;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a manifest's entries are on this machine: below the synced directory, or, for a
 * single-file task, the one file in its directory. Parents are opened by handle, one step at a
 * time from the real root path, so a directory swapped for a symlink is refused, not followed.
 */
public record EntryLocator(Path base, String rootName) {

  /** @param root the real path of the synced directory, or of the single file */
  public static EntryLocator of(Path root, boolean singleFile) {
    return singleFile ? new EntryLocator(root.getParent(), root.getFileName().toString()) : new EntryLocator(root, null);
  }

  /** The entry's directory, open; the caller closes it. */
  public Dir openParent(Entry entry) throws IOException {
    try (Dir root = Dir.open(base, false)) {
      return root.descend(WirePath.parentOf(entry.path()));
    }
  }

  /** Opens a regular file by handle: never through a link swapped in since the scan. */
  public OpenFile open(Entry entry) throws IOException {
    try (Dir parent = openParent(entry)) {
      return parent.open(name(entry));
    }
  }

  /** The entry's name in its directory. */
  public String name(Entry entry) {
    return rootName != null ? rootName : WirePath.nameOf(entry.path());
  }
}
