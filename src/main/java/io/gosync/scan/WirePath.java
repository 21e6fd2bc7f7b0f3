package io.gosync.scan;

import io.gosync.fs.Names;

/**
 * Relative paths that arrive from the network. They are untrusted: anything that could climb
 * out of the destination, name it ambiguously or smuggle a NUL is refused before it touches
 * the file system. The empty path stands for the destination itself (manifest entry 0). Names
 * are bytes, carried as {@link Names} strings; errors show them escaped.
 */
public final class WirePath {

  /**
   * Longer than Linux's PATH_MAX (4096) on purpose: every call goes through directory handles one
   * name at a time, so a deeper tree works (rsync copies one too); the cap only bounds memory.
   */
  public static final int MAX_PATH_BYTES = 32 << 10;
  public static final int MAX_NAME_BYTES = 255;

  private WirePath() {
  }

  /** @return the path unchanged, or throws naming what is wrong with it */
  public static String check(String path) {
    if (path == null) {
      throw new IllegalArgumentException("path is missing");
    }
    if (path.isEmpty()) {
      return path;
    }
    if (Names.byteLength(path) > MAX_PATH_BYTES) {
      throw new IllegalArgumentException("path is longer than " + MAX_PATH_BYTES + " bytes: " + shorten(path));
    }
    if (path.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("path contains NUL: " + shorten(path));
    }
    if (path.startsWith("/")) {
      throw new IllegalArgumentException("path is absolute: " + shorten(path));
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("path has an empty, '.' or '..' segment: " + shorten(path));
      }
      if (Names.byteLength(segment) > MAX_NAME_BYTES) {
        throw new IllegalArgumentException("path has a name longer than " + MAX_NAME_BYTES + " bytes: " + shorten(path));
      }
    }
    return path;
  }

  /** The wire path of an entry's parent directory: "" for entries at the root. */
  public static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  /** The last name of a non-empty wire path. */
  public static String nameOf(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** A child's wire path. */
  public static String child(String parent, String name) {
    return parent.isEmpty() ? name : parent + "/" + name;
  }

  private static String shorten(String path) {
    String printable = Names.display(path);
    return printable.length() > 120 ? printable.substring(0, 120) + "…" : printable;
  }
}
