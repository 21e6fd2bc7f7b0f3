package io.gosync.fs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The directories of a tree below one open root, opened by handle one step at a time, keeping the
 * chain to the last one open: a walk in manifest order (parents first, siblings together) opens
 * each directory once, and no path longer than one name ever reaches the kernel, so trees deeper
 * than PATH_MAX work. Directories are named by wire paths ("a/b"; "" is the root). For one thread.
 */
public final class DirChain implements AutoCloseable {

  private final Dir root;
  private final List<String> names = new ArrayList<>();
  private final List<Dir> dirs = new ArrayList<>();

  /** Takes ownership of {@code root}: closing the chain closes it. */
  public DirChain(Dir root) {
    this.root = root;
  }

  public Dir root() {
    return root;
  }

  /** The directory at {@code wirePath}; refused when any step of it is not a real directory. */
  public Dir dir(String wirePath) throws IOException {
    String[] parts = wirePath.isEmpty() ? new String[0] : wirePath.split("/", -1);
    int common = 0;
    while (common < parts.length && common < names.size() && names.get(common).equals(parts[common])) {
      common++;
    }
    truncate(common);
    for (int i = common; i < parts.length; i++) {
      Dir next = current().dir(parts[i]);
      names.add(parts[i]);
      dirs.add(next);
    }
    return current();
  }

  private Dir current() {
    return dirs.isEmpty() ? root : dirs.get(dirs.size() - 1);
  }

  private void truncate(int depth) {
    while (names.size() > depth) {
      names.remove(names.size() - 1);
      dirs.remove(dirs.size() - 1).close();
    }
  }

  @Override
  public void close() {
    truncate(0);
    root.close();
  }
}
