package io.gosync.scan;

import io.gosync.fs.Names;
import io.gosync.protocol.NeedList;
import io.gosync.protocol.Partials;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.TreeMap;

/**
 * What preparing a destination did and found, counted from the threads of its walk: the need-list, and the
 * conflicts listed in manifest order whichever thread met them first, so the outcome does not depend on timing.
 */
final class PrepareTally {

  private static final int CONFLICTS_LISTED = 20;

  private final BitSet need = new BitSet();
  /** The first conflicts by manifest index. */
  private final TreeMap<Integer, String> conflicts = new TreeMap<>();
  /** Needed files whose start an earlier task left here, and how many bytes of each. */
  private final TreeMap<Integer, Long> partials = new TreeMap<>();
  /** Needed large files held here in another version, which may serve as the basis of a delta. */
  private final BitSet bases = new BitSet();
  private long needBytes;
  private int conflictCount;
  private int created;
  private int deleted;
  private int fixed;

  synchronized void need(int index, Entry entry) {
    need.set(index);
    needBytes += entry.size();
  }

  /** A needed file whose first {@code bytes} are here already: it is sent from there on. */
  synchronized void partial(int index, long bytes) {
    partials.put(index, bytes);
    needBytes -= bytes;
  }

  /** A needed file whose old version here may serve as its basis ({@link Basis#mayServe}). */
  synchronized void basis(int index) {
    bases.set(index);
  }

  synchronized void conflict(int index, Entry entry) {
    conflictCount++;
    conflicts.put(index, Names.display(entry.path()));
    if (conflicts.size() > CONFLICTS_LISTED) {
      conflicts.pollLastEntry();
    }
  }

  synchronized void created() {
    created++;
  }

  synchronized void deleted(int entries) {
    deleted += entries;
  }

  synchronized void fixed(int changes) {
    fixed += changes;
  }

  /** A partial is resumed, not rebuilt: it is no basis. */
  synchronized PrepareOutcome outcome(Path dst) {
    partials.keySet().forEach(bases::clear);
    return new PrepareOutcome(dst, NeedList.of(need), Partials.of(partials), NeedList.of(bases), need.cardinality(),
        needBytes, created, deleted, fixed, conflictCount, List.copyOf(conflicts.values()));
  }
}
