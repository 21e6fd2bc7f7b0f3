package io.gosync.scan;

import io.gosync.fs.Dir;
import io.gosync.fs.Names;
import io.gosync.fs.OpenFile;
import io.gosync.fs.Stat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Layer one on a target: compares the source's manifest with the destination by metadata (size and mtime, hashing
 * only when they disagree on time alone, and not a large file that may be a delta's basis), makes directories and
 * symlinks, deletes extras when asked, fixes metadata of files whose content already matches, and returns the
 * need-list: the manifest indices of files that must be sent. One pass per directory, on the threads of a
 * {@link TreeWalk}: list it, delete what the source lacks, then each of its entries in manifest order. Every change
 * goes through directory handles opened step by step from the destination (see {@link Dir}): a directory swapped for
 * a link while this runs can make an entry fail, never reach outside.
 */
final class TargetPreparer implements TreeWalk.Step<Integer> {

  private final HashCache cache;
  private final TreeWalk walk;
  private final TempNames temps;
  private final boolean durable;
  private final Path dst;
  private final Manifest manifest;
  private final boolean delete;
  private final boolean overwrite;

  private final PrepareTally tally = new PrepareTally();
  private final PartialFiles partials;
  /** For each directory entry, the indices of the entries right in it; filled before the walk, then only read. */
  private int[][] children;
  /** Names temporary copies made here (see {@link #copyToNewInode}); distinct from any task's. */
  private final String localTask = "local" + Long.toHexString(System.nanoTime());

  TargetPreparer(HashCache cache, TreeWalk walk, TempNames temps, boolean durable, Path dst, Manifest manifest,
      boolean delete, boolean overwrite) {
    this.cache = cache;
    this.walk = walk;
    this.temps = temps;
    this.durable = durable;
    this.dst = dst;
    this.manifest = manifest;
    this.delete = delete;
    this.overwrite = overwrite;
    this.partials = new PartialFiles(temps, manifest, tally);
  }

  PrepareOutcome prepare() throws IOException {
    try (Dir parent = Dir.open(dst.getParent(), true)) {
      String name = dst.getFileName().toString();
      if (manifest.singleFile()) {
        prepareSingleFile(parent, name);
      } else {
        children = childrenOf(manifest);
        try (Dir root = openRoot(parent, name)) {
          walk.run(root, 0, this);
        }
      }
    }
    return tally.outcome(dst);
  }

  private void prepareSingleFile(Dir parent, String name) throws IOException {
    Stat stat = parent.stat(name);
    if (stat != null && stat.isDirectory()) {
      throw new IllegalArgumentException("dst: " + Names.display(name) + " is a directory, but the source is a single file");
    }
    boolean needed = prepareFile(0, manifest.entry(0), parent, name, stat);
    partials.inParentOfSingleFile(parent, name).settle(0, manifest.entry(0), parent, needed);
  }

  private Dir openRoot(Dir parent, String name) throws IOException {
    Stat stat = parent.stat(name);
    if (stat == null) {
      parent.mkdir(name, 0755);
      tally.created();
    } else if (!stat.isDirectory()) {
      throw new IllegalArgumentException("dst: exists and is not a directory, but the source is a directory");
    }
    return parent.dir(name);
  }

  /** For each directory entry, the indices of the entries right in it, in manifest order (parents come first). */
  static int[][] childrenOf(Manifest manifest) {
    int size = manifest.size();
    Map<String, Integer> directories = new HashMap<>();
    int[] parents = new int[size];
    int[] counts = new int[size];
    for (int i = 0; i < size; i++) {
      Entry entry = manifest.entry(i);
      if (i > 0) {
        Integer parent = directories.get(WirePath.parentOf(entry.path()));
        if (parent == null) {
          throw new IllegalArgumentException("refusing " + Names.display(entry.path())
              + ": its parent is not a directory listed before it");
        }
        parents[i] = parent;
        counts[parent]++;
      }
      if (entry.kind() == Entry.Kind.DIR) {
        directories.put(entry.path(), i);
      }
    }
    int[][] children = new int[size][];
    int[] none = new int[0];
    for (int i = 0; i < size; i++) {
      children[i] = counts[i] == 0 ? none : new int[counts[i]];
      counts[i] = 0;
    }
    for (int i = 1; i < size; i++) {
      children[parents[i]][counts[parents[i]]++] = i;
    }
    return children;
  }

  /** A directory of the manifest that has entries, as a real directory of the destination; else a refusal. */
  @Override
  public TreeWalk.Opened<Integer> open(Dir parent, String name, Integer index) {
    if (children[index].length == 0) {
      return null; // nothing in it to prepare; its metadata is set at finish
    }
    try {
      return new TreeWalk.Opened<>(parent.dir(name), index);
    } catch (IOException e) {
      throw new IllegalArgumentException("refusing " + Names.display(manifest.entry(children[index][0]).path())
          + ": its parent is not a real directory inside the destination (" + e.getMessage() + ")");
    }
  }

  /**
   * One directory: deletes what the source lacks (with delete) and this node's stale temporary files, then
   * prepares each of its entries. Its subdirectories come next, but not one the source skipped or that stays
   * blocked by a conflict.
   */
  @Override
  public List<TreeWalk.Sub<Integer>> visit(Dir dir, Integer index) throws IOException {
    Map<String, Integer> wanted = new HashMap<>(children[index].length * 2);
    for (int child : children[index]) {
      wanted.put(WirePath.nameOf(manifest.entry(child).path()), child);
    }
    Set<String> present = new HashSet<>();
    PartialFiles.Found partials = this.partials.in(children[index]);
    for (String name : dir.list()) {
      if (wanted.containsKey(name)) {
        present.add(name);
      } else if (partials.take(name)) {
        continue; // settled with its file, below
      } else if (temps.isOurs(name)) {
        dir.deleteTree(name);
      } else if (delete) {
        tally.deleted(dir.deleteTree(name));
      }
    }
    List<TreeWalk.Sub<Integer>> below = new ArrayList<>();
    for (int child : children[index]) {
      Entry entry = manifest.entry(child);
      String name = WirePath.nameOf(entry.path());
      // Not listed: not there (a stat would say so, one call later).
      Stat stat = present.contains(name) ? dir.stat(name) : null;
      switch (entry.kind()) {
        case DIR -> {
          if (prepareDirectory(child, entry, dir, name, stat)) {
            below.add(new TreeWalk.Sub<>(name, child));
          }
        }
        case LINK -> prepareLink(child, entry, dir, name, stat);
        case FILE -> {
          boolean needed = prepareFile(child, entry, dir, name, stat);
          partials.settle(child, entry, dir, needed);
        }
        case SKIP -> { } // the source could not read it: whatever is here stays
      }
    }
    return below;
  }

  /** @return whether a real directory is there now (else a conflict blocks it, and what is below it) */
  private boolean prepareDirectory(int index, Entry entry, Dir parent, String name, Stat stat) throws IOException {
    if (isDirectory(stat)) {
      return true; // mode and mtime are set when the task finishes, after files have landed
    }
    if (stat != null && !replace(index, entry, parent, name)) {
      return false;
    }
    parent.mkdir(name, 0700);
    tally.created();
    return true;
  }

  private void prepareLink(int index, Entry entry, Dir parent, String name, Stat stat) throws IOException {
    if (stat != null && stat.isLink() && parent.readlink(name).equals(entry.linkTarget())) {
      if (overwrite && !stat.mtime().equals(entry.mtime())) {
        parent.setTime(name, entry.mtime());
        tally.fixed(1);
      }
      return;
    }
    if (stat != null && !replace(index, entry, parent, name)) {
      return;
    }
    parent.symlink(name, entry.linkTarget());
    parent.setTime(name, entry.mtime());
    tally.created();
  }

  /** @return whether the file must be sent */
  private boolean prepareFile(int index, Entry entry, Dir parent, String name, Stat stat) throws IOException {
    if (stat != null && stat.isFile()) {
      boolean sameTime = stat.mtime().equals(entry.mtime());
      // Not hashed here (issue 13): its blocks are compared next, from the block cache (a 1 GiB file took two reads).
      boolean toCompare = overwrite && !sameTime && Basis.mayServe(stat.size(), entry.size());
      boolean sameContent = stat.size() == entry.size() && !toCompare
          && (sameTime || cache.hash(parent, name, stat).equals(entry.hash()));
      if (sameContent) {
        // The stat by name already shows whether anything is to fix: opening each unchanged file to look
        // again took a third of a no-change re-sync's diff (/usr/share, 46,312 files: 331 of 1,020 samples).
        if (overwrite && !(sameTime && stat.mode() == entry.mode())) {
          fixMetadata(index, entry, parent, name);
        }
        return false;
      }
      if (!overwrite) {
        tally.conflict(index, entry);
        return false;
      }
      if (Basis.mayServe(stat.size(), entry.size())) {
        tally.basis(index);
      }
    } else if (stat != null && !replace(index, entry, parent, name)) {
      return false;
    }
    tally.need(index, entry);
    return true;
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
        tally.fixed(1);
      } else {
        tally.fixed(FileFacts.applyMetadata(file, current, entry));
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
  private boolean replace(int index, Entry entry, Dir parent, String name) throws IOException {
    if (!overwrite) {
      tally.conflict(index, entry);
      return false;
    }
    parent.deleteTree(name);
    return true;
  }

  private static boolean isDirectory(Stat stat) {
    return stat != null && stat.isDirectory();
  }
}
