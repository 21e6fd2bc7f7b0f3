package io.gosync.scan;

import io.gosync.fs.Dir;
import io.gosync.fs.Stat;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * What earlier tasks left of large files in a destination: a task cut off mid-file (its stream broken, its node
 * killed) leaves the temporary file under a name made of the content it was to hold and its final name (see
 * {@link TempNames#partial}). A needed file whose temporary file is there is sent from where that stops; any
 * other such file goes, like every stale temporary file.
 */
final class PartialFiles {

  private final TempNames temps;
  private final Manifest manifest;
  private final PrepareTally tally;

  PartialFiles(TempNames temps, Manifest manifest, PrepareTally tally) {
    this.temps = temps;
    this.manifest = manifest;
    this.tally = tally;
  }

  /** The partial files of one directory whose entries are {@code children}, as its listing finds them. */
  Found in(int[] children) {
    return new Found(children);
  }

  /** The one file of a single-file task: its partial would be in the destination's parent, which is not listed. */
  Found inParentOfSingleFile(Dir parent, String finalName) throws IOException {
    Found found = new Found(new int[0]);
    String name = temps.partial(finalName, manifest.entry(0).hash());
    if (parent.stat(name) != null) {
      found.found.put(0, name);
    }
    return found;
  }

  /** One directory's. Used by one thread of the walk. */
  final class Found {
    private final int[] children;
    /** Partial name to the entry it is of: made only when the listing has a name of that shape. */
    private Map<String, Integer> expected;
    private final Map<Integer, String> found = new HashMap<>();

    private Found(int[] children) {
      this.children = children;
    }

    /** @return whether {@code name}, listed in the directory, is the partial file of one of its entries */
    boolean take(String name) {
      if (!TempNames.looksPartial(name)) {
        return false;
      }
      if (expected == null) {
        expected = expectedNames();
      }
      Integer child = expected.get(name);
      if (child != null) {
        found.put(child, name);
      }
      return child != null;
    }

    private Map<String, Integer> expectedNames() {
      Map<String, Integer> names = new HashMap<>();
      for (int child : children) {
        Entry entry = manifest.entry(child);
        if (entry.kind() == Entry.Kind.FILE) {
          names.put(temps.partial(WirePath.nameOf(entry.path()), entry.hash()), child);
        }
      }
      return names;
    }

    /**
     * A needed file is sent from where its partial file stops, if that is a plain file with no other name, with
     * bytes, short of the whole; anything else of it goes.
     */
    void settle(int index, Entry entry, Dir parent, boolean needed) throws IOException {
      String name = found.get(index);
      Stat stat = name == null ? null : parent.stat(name);
      if (needed && stat != null && stat.isFile() && stat.links() == 1 && stat.size() > 0
          && stat.size() < entry.size()) {
        tally.partial(index, stat.size());
      } else if (stat != null) {
        parent.deleteTree(name);
      }
    }
  }
}
