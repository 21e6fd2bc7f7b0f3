package io.gosync.scan;

import io.gosync.fs.Timestamp;

/**
 * One item of a manifest. {@code path} is a wire path relative to the synced root ("" is the
 * root itself), its names the file system's bytes as {@link io.gosync.fs.Names} strings;
 * {@code mode} holds the permission bits (07777). {@code hash} (hex SHA-256) is set for files,
 * {@code linkTarget} (bytes, like names) for symlinks. A {@code SKIP} entry is a path the source
 * could not read: a target leaves whatever it has there alone, and never deletes below it.
 */
public record Entry(String path, Kind kind, long size, Timestamp mtime, int mode, String hash, String linkTarget) {

  public enum Kind { FILE, DIR, LINK, SKIP }

  private static final Timestamp NO_TIME = new Timestamp(0, 0);

  public static Entry file(String path, long size, Timestamp mtime, int mode, String hash) {
    return new Entry(path, Kind.FILE, size, mtime, mode, hash, null);
  }

  public static Entry dir(String path, Timestamp mtime, int mode) {
    return new Entry(path, Kind.DIR, 0, mtime, mode, null, null);
  }

  public static Entry link(String path, String linkTarget, Timestamp mtime) {
    return new Entry(path, Kind.LINK, 0, mtime, 0, null, linkTarget);
  }

  public static Entry skip(String path) {
    return new Entry(path, Kind.SKIP, 0, NO_TIME, 0, null, null);
  }

  public boolean isFile() {
    return kind == Kind.FILE;
  }
}
