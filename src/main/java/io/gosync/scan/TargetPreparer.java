package io.gosync.scan;

import io.gosync.fs.Dir;
import io.gosync.fs.DirChain;
import io.gosync.fs.Names;
import io.gosync.fs.OpenFile;
import io.gosync.fs.Stat;
import io.gosync.protocol.NeedList;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Layer one on a target: compares the source's manifest with the destination by metadata
 * (size and mtime, hashing only when they disagree on time alone), makes directories and
 * symlinks, deletes extras when asked, fixes metadata of files whose content already matches,
 * and returns the need-list: the manifest indices of files that must be sent. Every change goes
 * through directory handles opened step by step from the destination (see {@link Dir}): a
 * directory swapped for a link while this runs can make an entry fail, never reach outside.
 */
final class TargetPreparer {

  private static final int CONFLICTS_LISTED = 20;

  private final HashCache cache;
  private final TempNames temps;
  private final boolean durable;
  private final Path dst;
  private final Manifest manifest;
  private final boolean delete;
  private final boolean overwrite;

  private final BitSet need = new BitSet();
  private final Set<String> blocked = new HashSet<>();
  private final List<String> conflicts = new ArrayList<>();
  /** Names temporary copies made here (see {@link #copyToNewInode}); distinct from any task's. */
  private final String localTask = "local" + Long.toHexString(System.nanoTime());
  private long needBytes;
  private int conflictCount;
  private int created;
  private int deleted;
  private int fixed;

  TargetPreparer(HashCache cache, TempNames temps, boolean durable, Path dst, Manifest manifest, boolean delete,
      boolean overwrite) {
    this.cache = cache;
    this.temps = temps;
    this.durable = durable;
    this.dst = dst;
    this.manifest = manifest;
    this.delete = delete;
    this.overwrite = overwrite;
  }

  PrepareOutcome prepare() throws IOException {
    try (Dir parent = Dir.open(dst.getParent(), true)) {
      String name = dst.getFileName().toString();
      if (manifest.singleFile()) {
        prepareSingleFile(parent, name);
      } else {
        try (DirChain tree = new DirChain(openRoot(parent, name))) {
          removeExtras(tree.root(), "", wanted());
          for (int i = 1; i < manifest.size(); i++) {
            prepareEntry(tree, i, manifest.entry(i));
          }
        }
      }
    }
    return new PrepareOutcome(dst, NeedList.of(need), need.cardinality(), needBytes, created, deleted, fixed,
        conflictCount, List.copyOf(conflicts));
  }

  private void prepareSingleFile(Dir parent, String name) throws IOException {
    Stat stat = parent.stat(name);
    if (stat != null && stat.isDirectory()) {
      throw new IllegalArgumentException("dst: " + Names.display(name) + " is a directory, but the source is a single file");
    }
    prepareFile(0, manifest.entry(0), parent, name, stat);
  }

  private Dir openRoot(Dir parent, String name) throws IOException {
    Stat stat = parent.stat(name);
    if (stat == null) {
      parent.mkdir(name, 0755);
      created++;
    } else if (!stat.isDirectory()) {
      throw new IllegalArgumentException("dst: exists and is not a directory, but the source is a directory");
    }
    return parent.dir(name);
  }

  private Map<String, Entry.Kind> wanted() {
    Map<String, Entry.Kind> wanted = new HashMap<>(manifest.size() * 2);
    for (Entry entry : manifest.entries()) {
      wanted.put(entry.path(), entry.kind());
    }
    return wanted;
  }

  /**
   * Walks the destination once: deletes what the source lacks (with delete) and this node's stale
   * temporary files. Goes into a directory only where the source has one, and never below a path
   * the source skipped.
   */
  private void removeExtras(Dir dir, String prefix, Map<String, Entry.Kind> wanted) throws IOException {
    for (String name : dir.list()) {
      String path = WirePath.child(prefix, name);
      Entry.Kind kind = wanted.get(path);
      if (kind == null && temps.isOurs(name)) {
        dir.deleteTree(name);
      } else if (kind == null && delete) {
        deleted += dir.deleteTree(name);
      } else if (kind == Entry.Kind.DIR && isDirectory(dir.stat(name))) {
        try (Dir child = dir.dir(name)) {
          removeExtras(child, path, wanted);
        }
      }
    }
  }

  private void prepareEntry(DirChain tree, int index, Entry entry) throws IOException {
    String parentPath = WirePath.parentOf(entry.path());
    if (blocked.contains(parentPath)) {
      blocked.add(entry.path());
      return;
    }
    Dir parent;
    try {
      parent = tree.dir(parentPath);
    } catch (IOException e) {
      throw new IllegalArgumentException("refusing " + Names.display(entry.path())
          + ": its parent is not a real directory inside the destination (" + e.getMessage() + ")");
    }
    String name = WirePath.nameOf(entry.path());
    Stat stat = parent.stat(name);
    switch (entry.kind()) {
      case DIR -> prepareDirectory(entry, parent, name, stat);
      case LINK -> prepareLink(entry, parent, name, stat);
      case FILE -> prepareFile(index, entry, parent, name, stat);
      case SKIP -> { } // the source could not read it: whatever is here stays
    }
  }

  private void prepareDirectory(Entry entry, Dir parent, String name, Stat stat) throws IOException {
    if (isDirectory(stat)) {
      return; // mode and mtime are set when the task finishes, after files have landed
    }
    if (stat != null && !replace(entry, parent, name)) {
      blocked.add(entry.path());
      return;
    }
    parent.mkdir(name, 0700);
    created++;
  }

  private void prepareLink(Entry entry, Dir parent, String name, Stat stat) throws IOException {
    if (stat != null && stat.isLink() && parent.readlink(name).equals(entry.linkTarget())) {
      if (overwrite && !stat.mtime().equals(entry.mtime())) {
        parent.setTime(name, entry.mtime());
        fixed++;
      }
      return;
    }
    if (stat != null && !replace(entry, parent, name)) {
      return;
    }
    parent.symlink(name, entry.linkTarget());
    parent.setTime(name, entry.mtime());
    created++;
  }

  private void prepareFile(int index, Entry entry, Dir parent, String name, Stat stat) throws IOException {
    if (stat != null && stat.isFile()) {
      boolean sameTime = stat.mtime().equals(entry.mtime());
      boolean sameContent = stat.size() == entry.size()
          && (sameTime || cache.hash(parent, name, stat).equals(entry.hash()));
      if (sameContent) {
        // The stat by name already shows whether anything is to fix: opening each unchanged file to look
        // again took a third of a no-change re-sync's diff (/usr/share, 46,312 files: 331 of 1,020 samples).
        if (overwrite && !(sameTime && stat.mode() == entry.mode())) {
          fixMetadata(index, entry, parent, name);
        }
        return;
      }
      if (!overwrite) {
        conflict(entry);
        return;
      }
    } else if (stat != null && !replace(entry, parent, name)) {
      return;
    }
    need.set(index);
    needBytes += entry.size();
  }

  /**
   * The content is right, mode or mtime may not be. A file with other names (hard links) gets a
   * copy of its own first, as rsync gives it: changing the shared inode would change every name.
   */
  private void fixMetadata(int index, Entry entry, Dir parent, String name) throws IOException {
    try (OpenFile file = parent.open(name)) {
      Stat current = file.stat();
      if (current.mode() == entry.mode() && current.mtime().equals(entry.mtime())) {
        return;
      }
      if (current.links() > 1) {
        copyToNewInode(index, entry, parent, name, file);
        fixed++;
      } else {
        fixed += FileFacts.applyMetadata(file, current, entry);
      }
    }
  }

  private void copyToNewInode(int index, Entry entry, Dir parent, String name, OpenFile file) throws IOException {
    String temp = temps.name(localTask, index);
    OpenFile copy = parent.create(temp, 0600);
    try (copy) {
      try (FileChannel from = FileChannel.open(file.path(), StandardOpenOption.READ);
           FileChannel to = FileChannel.open(copy.path(), StandardOpenOption.WRITE)) {
        for (long at = 0, size = from.size(); at < size; ) {
          at += from.transferTo(at, size - at, to);
        }
      }
      FileFacts.applyMetadata(copy, null, entry);
      if (durable) {
        copy.sync();
      }
      parent.rename(temp, parent, name);
    } catch (IOException | RuntimeException e) {
      parent.deleteTree(temp);
      throw e;
    }
  }

  /** Removes an entry of the wrong kind so the source's can take its place; false under no-overwrite. */
  private boolean replace(Entry entry, Dir parent, String name) throws IOException {
    if (!overwrite) {
      conflict(entry);
      return false;
    }
    parent.deleteTree(name);
    return true;
  }

  private void conflict(Entry entry) {
    conflictCount++;
    if (conflicts.size() < CONFLICTS_LISTED) {
      conflicts.add(Names.display(entry.path()));
    }
  }

  private static boolean isDirectory(Stat stat) {
    return stat != null && stat.isDirectory();
  }
}
