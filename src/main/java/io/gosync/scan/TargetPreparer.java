package io.gosync.scan;

import io.gosync.protocol.NeedList;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Layer one on a target: compares the source's manifest with the destination by metadata
 * (size and mtime, hashing only when they disagree on time alone), makes directories and
 * symlinks, deletes extras when asked, fixes metadata of files whose content already matches,
 * and returns the need-list: the manifest indices of files that must be sent.
 */
final class TargetPreparer {

  private static final int CONFLICTS_LISTED = 20;

  private final HashCache cache;
  private final Path dst;
  private final Manifest manifest;
  private final boolean delete;
  private final boolean overwrite;

  private final BitSet need = new BitSet();
  private final Set<String> blocked = new HashSet<>();
  /**
   * Parents already seen to be real directories in this pass, so each costs one real-path walk,
   * not one per entry. Safe to remember: the manifest lists each path once, parents first
   * (ManifestCodec checks), so no later entry of the pass can replace a checked parent.
   */
  private final Set<String> realParents = new HashSet<>();
  private final List<String> conflicts = new ArrayList<>();
  private long needBytes;
  private int conflictCount;
  private int created;
  private int deleted;
  private int fixed;

  TargetPreparer(HashCache cache, Path dst, Manifest manifest, boolean delete, boolean overwrite) {
    this.cache = cache;
    this.dst = dst;
    this.manifest = manifest;
    this.delete = delete;
    this.overwrite = overwrite;
  }

  PrepareOutcome prepare() throws IOException {
    if (manifest.singleFile()) {
      prepareSingleFile();
    } else {
      prepareRoot();
      removeExtras();
      for (int i = 1; i < manifest.size(); i++) {
        prepareEntry(i, manifest.entry(i));
      }
    }
    return new PrepareOutcome(dst, NeedList.of(need), need.cardinality(), needBytes, created, deleted, fixed,
        conflictCount, List.copyOf(conflicts));
  }

  private void prepareSingleFile() throws IOException {
    PosixFileAttributes attributes = FileFacts.stat(dst);
    if (attributes != null && attributes.isDirectory()) {
      throw new IllegalArgumentException("dst: " + dst.getFileName() + " is a directory, but the source is a single file");
    }
    if (!Files.isDirectory(dst.getParent())) {
      Files.createDirectories(dst.getParent());
      created++;
    }
    prepareFile(0, manifest.entry(0), attributes);
  }

  private void prepareRoot() throws IOException {
    PosixFileAttributes attributes = FileFacts.stat(dst);
    if (attributes == null) {
      Files.createDirectories(dst);
      created++;
    } else if (!attributes.isDirectory()) {
      throw new IllegalArgumentException("dst: exists and is not a directory, but the source is a directory");
    }
  }

  /** Walks the destination once: deletes what the source lacks (with delete) and our stale temporary files. */
  private void removeExtras() throws IOException {
    Set<String> wanted = new HashSet<>(manifest.size() * 2);
    for (Entry entry : manifest.entries()) {
      wanted.add(entry.path());
    }
    Files.walkFileTree(dst, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
            return dir.equals(dst) ? FileVisitResult.CONTINUE : visit(dir);
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            return visit(file);
          }

          private FileVisitResult visit(Path path) throws IOException {
            String wire = WirePath.of(dst, path);
            if (wanted.contains(wire)) {
              return FileVisitResult.CONTINUE;
            }
            if (FileFacts.isTemporary(path)) {
              FileFacts.deleteTree(path);
              return FileVisitResult.SKIP_SUBTREE;
            }
            if (delete) {
              deleted += FileFacts.deleteTree(path);
              return FileVisitResult.SKIP_SUBTREE;
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private void prepareEntry(int index, Entry entry) throws IOException {
    String parent = WirePath.parentOf(entry.path());
    if (blocked.contains(parent)) {
      blocked.add(entry.path());
      return;
    }
    Path path = WirePath.resolve(dst, entry.path());
    checkRealParent(entry, parent, path.getParent());
    PosixFileAttributes attributes = FileFacts.stat(path);
    switch (entry.kind()) {
      case DIR -> prepareDirectory(entry, path, attributes);
      case LINK -> prepareLink(entry, path, attributes);
      case FILE -> prepareFile(index, entry, attributes);
    }
  }

  private void checkRealParent(Entry entry, String parent, Path parentPath) throws IOException {
    if (realParents.contains(parent)) {
      return;
    }
    if (!FileFacts.isRealDirectoryUnder(dst, parentPath)) {
      throw new IllegalArgumentException("refusing " + entry.path() + ": its parent is not a real directory inside the destination");
    }
    realParents.add(parent);
  }

  private void prepareDirectory(Entry entry, Path path, PosixFileAttributes attributes) throws IOException {
    if (attributes != null && attributes.isDirectory()) {
      return; // mode and mtime are set when the task finishes, after files have landed
    }
    if (attributes != null && !replace(entry, path)) {
      blocked.add(entry.path());
      return;
    }
    Files.createDirectory(path);
    created++;
  }

  private void prepareLink(Entry entry, Path path, PosixFileAttributes attributes) throws IOException {
    if (attributes != null && attributes.isSymbolicLink()
        && Files.readSymbolicLink(path).toString().equals(entry.linkTarget())) {
      return;
    }
    if (attributes != null && !replace(entry, path)) {
      return;
    }
    Files.createSymbolicLink(path, Path.of(entry.linkTarget()));
    created++;
  }

  private void prepareFile(int index, Entry entry, PosixFileAttributes attributes) throws IOException {
    Path path = WirePath.resolve(dst, entry.path());
    if (attributes != null && attributes.isRegularFile()) {
      boolean sameTime = FileFacts.mtimeNanos(attributes) == entry.mtimeNanos();
      boolean sameContent = attributes.size() == entry.size()
          && (sameTime || cache.hash(path, attributes).equals(entry.hash()));
      if (sameContent) {
        if (overwrite) {
          fixed += FileFacts.applyMetadata(path, attributes, entry);
        }
        return;
      }
      if (!overwrite) {
        conflict(entry);
        return;
      }
    } else if (attributes != null && !replace(entry, path)) {
      return;
    }
    need.set(index);
    needBytes += entry.size();
  }

  /** Removes an entry of the wrong kind so the source's can take its place; false under no-overwrite. */
  private boolean replace(Entry entry, Path path) throws IOException {
    if (!overwrite) {
      conflict(entry);
      return false;
    }
    FileFacts.deleteTree(path);
    return true;
  }

  private void conflict(Entry entry) {
    conflictCount++;
    if (conflicts.size() < CONFLICTS_LISTED) {
      conflicts.add(entry.path());
    }
  }

  /** After the files have landed: directory modes and mtimes, deepest first. @return entries changed */
  static int finish(Path dst, Manifest manifest) throws IOException {
    int changed = 0;
    for (int i = manifest.size() - 1; i >= 0; i--) {
      Entry entry = manifest.entry(i);
      if (entry.kind() != Entry.Kind.DIR) {
        continue;
      }
      Path path = WirePath.resolve(dst, entry.path());
      PosixFileAttributes attributes = FileFacts.stat(path);
      if (attributes == null || !attributes.isDirectory()) {
        continue; // left alone under no-overwrite
      }
      changed += FileFacts.applyMetadata(path, attributes, entry);
    }
    return changed;
  }
}
