package io.gosync.relay;

import io.gosync.scan.Entry;
import io.gosync.scan.FileFacts;
import io.gosync.scan.WirePath;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;

/**
 * Blocking steps that make a received file appear atomically: a temporary file beside the final
 * name (created new, so never through a symlink), hash check, mode and mtime, then rename.
 * Every parent directory must be a real directory inside the destination.
 */
final class Landing {

  private final Path base;
  private final Path dst;
  private final String taskId;

  /** @param dst the real destination path; for a single-file task, the file itself */
  Landing(Path dst, boolean singleFile, String taskId) {
    this.dst = dst;
    this.base = singleFile ? dst.getParent() : dst;
    this.taskId = taskId;
  }

  Path target(Entry entry) {
    return WirePath.resolve(dst, entry.path());
  }

  /** Checks the parent and names the temporary file; the caller creates it (CREATE_NEW). */
  Path temporary(int index, Entry entry) throws IOException {
    Path parent = checkedParent(entry);
    return parent.resolve(FileFacts.temporaryName(taskId, index));
  }

  /** Lands a small file whose bytes are all in memory. */
  void landWhole(int index, Entry entry, byte[] data) throws IOException {
    String hash = HexFormat.of().formatHex(FileFacts.sha256().digest(data));
    if (!hash.equals(entry.hash())) {
      throw new IOException(mismatch(entry));
    }
    Path temp = temporary(index, entry);
    Files.write(temp, data, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    commit(temp, entry, hash);
  }

  /** Verifies and renames a written temporary file into place; removes it on any failure. */
  void commit(Path temp, Entry entry, String hash) throws IOException {
    try {
      if (!hash.equals(entry.hash())) {
        throw new IOException(mismatch(entry));
      }
      FileFacts.applyMetadata(temp, null, entry);
      checkedParent(entry);
      Files.move(temp, target(entry), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  private Path checkedParent(Entry entry) throws IOException {
    Path parent = target(entry).getParent();
    if (parent == null || !FileFacts.isRealDirectoryUnder(base, parent)) {
      throw new IOException("refusing to write " + entry.path() + ": its parent is not a real directory inside the destination");
    }
    return parent;
  }

  private static String mismatch(Entry entry) {
    return "hash mismatch for " + (entry.path().isEmpty() ? "the file" : entry.path())
        + " (the source file changed during the sync, or the stream was damaged)";
  }
}
