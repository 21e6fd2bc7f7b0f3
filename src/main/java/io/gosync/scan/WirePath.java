package io.gosync.scan;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Relative paths that arrive from the network. They are untrusted: anything that could climb
 * out of the destination, name it ambiguously or smuggle a NUL is refused before it touches
 * the file system. The empty path stands for the destination itself (manifest entry 0).
 */
public final class WirePath {

  public static final int MAX_PATH_BYTES = 4096;
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
    if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
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
      if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
        throw new IllegalArgumentException("path has a name longer than " + MAX_NAME_BYTES + " bytes: " + shorten(path));
      }
    }
    return path;
  }

  /** Resolves a checked wire path under a root; the result is always inside the root. */
  public static Path resolve(Path root, String path) {
    Path resolved = check(path).isEmpty() ? root : root.resolve(path).normalize();
    if (!resolved.startsWith(root)) {
      throw new IllegalArgumentException("path escapes the destination: " + shorten(path));
    }
    return resolved;
  }

  /** The wire path of an entry's parent directory: "" for entries at the root. */
  public static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  /** The wire form of a path below a root: '/'-separated, relative. */
  public static String of(Path root, Path path) {
    String relative = root.relativize(path).toString();
    return relative.replace(path.getFileSystem().getSeparator(), "/");
  }

  private static String shorten(String path) {
    String printable = path.replace("\0", "\\0");
    return printable.length() > 120 ? printable.substring(0, 120) + "…" : printable;
  }
}
