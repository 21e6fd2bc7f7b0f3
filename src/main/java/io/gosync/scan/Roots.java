package io.gosync.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of the file system a daemon may touch. Task paths are absolute paths inside the
 * daemon's root (so several nodes can share one machine, each fenced into its own tree); they
 * must also fall under one of the allowed directories, after symlinks are resolved. A daemon
 * started without any allowed directory refuses every task: nothing is writable by default.
 */
public final class Roots {

  private final Path root;
  private final List<Path> allowed;

  public Roots(String root, List<String> allow) {
    this.root = Path.of(root).toAbsolutePath().normalize();
    List<Path> dirs = new ArrayList<>();
    for (String dir : allow) {
      dirs.add(inside("allow", dir));
    }
    this.allowed = List.copyOf(dirs);
  }

  /**
   * @param field    the request field, named in errors ("src", "dst")
   * @param taskPath an absolute path as the task names it
   * @return the real, absolute path on this machine
   */
  public Path resolve(String field, String taskPath) throws IOException {
    return resolve(field, taskPath, true);
  }

  /**
   * As {@link #resolve(String, String)}, but the last name is not followed: a single file's destination
   * that is a symlink is replaced by the file, as rsync replaces it, never written through.
   */
  public Path resolveFile(String field, String taskPath) throws IOException {
    return resolve(field, taskPath, false);
  }

  private Path resolve(String field, String taskPath, boolean followLast) throws IOException {
    if (taskPath == null || !taskPath.startsWith("/") || taskPath.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(field + ": must be an absolute path, got '" + taskPath + "'");
    }
    if (allowed.isEmpty()) {
      throw new IllegalArgumentException(field + ": " + taskPath + " is refused: this node allows no directories;"
          + " start its daemon with --allow DIR (config key allow, GOSYNC_ALLOW) for each directory tasks may use");
    }
    Path lexical = inside(field, taskPath);
    if (!isAllowed(lexical)) {
      throw new IllegalArgumentException(field + ": " + taskPath + " is outside the allowed directories "
          + allowedList() + " of this node");
    }
    // Resolve symlinks in the part that exists, so a link cannot lead out of the allowed directories.
    Path existing = followLast || lexical.getParent() == null ? lexical : lexical.getParent();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      throw new IllegalArgumentException(field + ": " + taskPath + " has no existing parent");
    }
    Path real = existing.toRealPath().resolve(existing.relativize(lexical)).normalize();
    List<Path> realAllowed = new ArrayList<>();
    for (Path dir : allowed) {
      realAllowed.add(Files.exists(dir) ? dir.toRealPath() : dir);
    }
    if (realAllowed.stream().noneMatch(real::startsWith)) {
      throw new IllegalArgumentException(field + ": " + taskPath + " leads through a symlink out of the allowed directories "
          + allowedList());
    }
    return real;
  }

  private Path inside(String field, String taskPath) {
    Path resolved = root.resolve(taskPath.substring(1)).normalize();
    if (!resolved.startsWith(root)) {
      throw new IllegalArgumentException(field + ": " + taskPath + " climbs out of the node's root");
    }
    return resolved;
  }

  private boolean isAllowed(Path path) {
    return allowed.stream().anyMatch(path::startsWith);
  }

  private String allowedList() {
    List<String> names = new ArrayList<>();
    for (Path dir : allowed) {
      names.add("/" + root.relativize(dir));
    }
    return names.toString();
  }
}
