package io.gosync.scan;

/**
 * One item of a manifest. {@code path} is a wire path relative to the synced root ("" is the
 * root itself); {@code mode} holds the permission bits (07777); {@code mtimeNanos} is the
 * modification time in nanoseconds since the epoch. {@code hash} (hex SHA-256) is set for
 * files, {@code linkTarget} for symlinks.
 */
public record Entry(String path, Kind kind, long size, long mtimeNanos, int mode, String hash, String linkTarget) {

  public enum Kind { FILE, DIR, LINK }

  public static Entry file(String path, long size, long mtimeNanos, int mode, String hash) {
    return new Entry(path, Kind.FILE, size, mtimeNanos, mode, hash, null);
  }

  public static Entry dir(String path, long mtimeNanos, int mode) {
    return new Entry(path, Kind.DIR, 0, mtimeNanos, mode, null, null);
  }

  public static Entry link(String path, String linkTarget) {
    return new Entry(path, Kind.LINK, 0, 0, 0, null, linkTarget);
  }

  public boolean isFile() {
    return kind == Kind.FILE;
  }
}
