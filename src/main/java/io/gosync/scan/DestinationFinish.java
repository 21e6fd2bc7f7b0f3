package io.gosync.scan;

import io.gosync.fs.Dir;
import io.gosync.fs.DirChain;

import java.io.IOException;
import java.nio.file.Path;

/**
 * After the files have landed: directory modes and mtimes, deepest first, and with durable
 * landing an fsync of every directory of the tree, so that each rename, creation and removal in
 * it is on disk before the target reports ok. One fsync per directory, not per file: landing
 * syncs each file's data before its rename, and a directory's entries are made durable here,
 * once. Syncing a directory nothing changed in is a no-op for the file system's journal.
 */
final class DestinationFinish {

  private DestinationFinish() {
  }

  /** @return entries whose metadata changed */
  static int finish(Path dst, Manifest manifest, boolean durable) throws IOException {
    try (Dir parent = Dir.open(dst.getParent(), false)) {
      int changed = manifest.singleFile() ? 0 : finishTree(parent, dst.getFileName().toString(), manifest, durable);
      if (durable) {
        parent.sync(); // the destination's own entry, or the single file's rename
      }
      return changed;
    }
  }

  private static int finishTree(Dir parent, String name, Manifest manifest, boolean durable) throws IOException {
    int changed = 0;
    try (DirChain tree = new DirChain(parent.dir(name))) {
      for (int i = manifest.size() - 1; i >= 0; i--) {
        Entry entry = manifest.entry(i);
        if (entry.kind() != Entry.Kind.DIR) {
          continue;
        }
        Dir dir;
        try {
          dir = tree.dir(entry.path());
        } catch (IOException e) {
          continue; // not a directory here: left alone under no-overwrite
        }
        changed += FileFacts.applyMetadata(dir, dir.stat(), entry);
        if (durable) {
          dir.sync();
        }
      }
    }
    return changed;
  }
}
