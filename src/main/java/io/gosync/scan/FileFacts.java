package io.gosync.scan;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/** Blocking file-system facts and changes that both sides of a sync need. Never follows symlinks. */
public final class FileFacts {

  /** Temporary files are named {@code .gosync-<task>-<index>.tmp} in their final directory. */
  private static final String TEMP_MARK = ".gosync-";
  private static final String TEMP_SUFFIX = ".tmp";

  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

  /**
   * One read buffer per hashing thread, reused for every file. A direct buffer allocated per
   * file is zeroed (so resident) at once but freed only when a GC happens to collect it: hashing
   * 2,000 small files that way left 2 GiB resident on a source daemon.
   */
  private static final ThreadLocal<ByteBuffer> HASH_BUFFER =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(256 << 10));

  private FileFacts() {
  }

  /** @return the attributes of the path itself (not of a link's target), or null if it does not exist */
  public static PosixFileAttributes stat(Path path) throws IOException {
    try {
      return Files.readAttributes(path, PosixFileAttributes.class, NOFOLLOW);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  public static int mode(Path path) throws IOException {
    return ((Integer) Files.getAttribute(path, "unix:mode", NOFOLLOW)) & 07777;
  }

  private static void setMode(Path path, int mode) throws IOException {
    Files.setAttribute(path, "unix:mode", mode & 07777, NOFOLLOW);
  }

  public static long mtimeNanos(PosixFileAttributes attributes) {
    return attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS);
  }

  private static void setMtime(Path path, long mtimeNanos) throws IOException {
    Files.getFileAttributeView(path, BasicFileAttributeView.class, NOFOLLOW)
        .setTimes(FileTime.from(mtimeNanos, TimeUnit.NANOSECONDS), null, null);
  }

  /**
   * Gives a path the entry's mode and mtime, changing only what differs: the one place where
   * landing, preparing and finishing set metadata. Mode is read afresh (the set-id and sticky
   * bits are not among the POSIX permissions).
   *
   * @param current the path's attributes, or null when its mtime is surely not the entry's
   * @return how many of the two it changed
   */
  public static int applyMetadata(Path path, PosixFileAttributes current, Entry entry) throws IOException {
    int changed = 0;
    if (mode(path) != entry.mode()) {
      setMode(path, entry.mode());
      changed++;
    }
    if (current == null || mtimeNanos(current) != entry.mtimeNanos()) {
      setMtime(path, entry.mtimeNanos());
      changed++;
    }
    return changed;
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String hash(Path file) throws IOException {
    MessageDigest digest = sha256();
    ByteBuffer buffer = HASH_BUFFER.get().clear();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      while (channel.read(buffer) >= 0) {
        buffer.flip();
        digest.update(buffer);
        buffer.clear();
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Deletes a file, a link, or a directory with everything in it; links are removed, never followed. */
  public static int deleteTree(Path path) throws IOException {
    PosixFileAttributes attributes = stat(path);
    if (attributes == null) {
      return 0;
    }
    int deleted = 0;
    if (attributes.isDirectory()) {
      try (var children = Files.list(path)) {
        for (Path child : (Iterable<Path>) children::iterator) {
          deleted += deleteTree(child);
        }
      }
    }
    Files.delete(path);
    return deleted + 1;
  }

  /** The temporary name a file of a task lands under, in its final directory. */
  public static String temporaryName(String taskId, int index) {
    return TEMP_MARK + taskId + "-" + index + TEMP_SUFFIX;
  }

  /** True for our own temporary files, which a later task may remove when a crash left them. */
  public static boolean isTemporary(Path path) {
    String name = path.getFileName().toString();
    return name.startsWith(TEMP_MARK) && name.endsWith(TEMP_SUFFIX);
  }

  /** True when every directory from root down to dir is a real directory, not a symlink. */
  public static boolean isRealDirectoryUnder(Path root, Path dir) throws IOException {
    return dir.startsWith(root) && Files.isDirectory(dir, NOFOLLOW) && dir.toRealPath().equals(dir);
  }
}
