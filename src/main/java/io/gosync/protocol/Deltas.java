package io.gosync.protocol;

import io.vertx.core.json.JsonArray;

import java.util.Base64;
import java.util.BitSet;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;

/**
 * The needed large files a target builds from the old version it holds (issue 13), and for each the blocks of the
 * new version it lacks: a group's stream sends those blocks only. Part of what groups targets, with the need-list:
 * targets that lack the same blocks share one stream, whatever old version each holds. Immutable. Its one encoding
 * is a JSON array of {@code [index, blocks]} pairs in index order, blocks the base64 of the bit set's bytes.
 */
public final class Deltas {

  public static final Deltas NONE = new Deltas(new TreeMap<>());

  private final TreeMap<Integer, BitSet> missing;

  private Deltas(TreeMap<Integer, BitSet> missing) {
    this.missing = missing;
  }

  /** @param missing index to the blocks the file lacks (copied) */
  public static Deltas of(Map<Integer, BitSet> missing) {
    TreeMap<Integer, BitSet> copy = new TreeMap<>();
    missing.forEach((index, blocks) -> copy.put(index, (BitSet) blocks.clone()));
    return copy.isEmpty() ? NONE : new Deltas(copy);
  }

  public boolean has(int index) {
    return missing.containsKey(index);
  }

  /** The blocks file {@code index} lacks (a copy), or null when it is sent whole. */
  public BitSet missing(int index) {
    BitSet blocks = missing.get(index);
    return blocks == null ? null : (BitSet) blocks.clone();
  }

  public int size() {
    return missing.size();
  }

  /** Index to the blocks lacked, in index order; not to be modified. */
  public Map<Integer, BitSet> asMap() {
    return Collections.unmodifiableMap(missing);
  }

  public JsonArray toJson() {
    JsonArray pairs = new JsonArray();
    missing.forEach((index, blocks) ->
        pairs.add(new JsonArray().add(index).add(Base64.getEncoder().encodeToString(blocks.toByteArray()))));
    return pairs;
  }

  /**
   * Decodes and checks: each index one of {@code offered}, in order, and its blocks fewer than all of the file's
   * {@code blockCount}, none beyond them.
   */
  public static Deltas fromJson(JsonArray pairs, NeedList offered, IntUnaryOperator blockCount) {
    if (pairs.size() > offered.size()) {
      throw new IllegalArgumentException("deltas: more than the " + offered.size() + " files offered");
    }
    TreeMap<Integer, BitSet> missing = new TreeMap<>();
    int last = -1;
    for (int i = 0; i < pairs.size(); i++) {
      if (!(pairs.getValue(i) instanceof JsonArray pair) || pair.size() != 2
          || !(pair.getValue(0) instanceof Integer index) || !(pair.getValue(1) instanceof String text)) {
        throw new IllegalArgumentException("deltas[" + i + "]: must be [index, blocks]");
      }
      if (index <= last || !offered.contains(index)) {
        throw new IllegalArgumentException("deltas[" + i + "]: index " + index
            + (index <= last ? " out of order" : " was not offered"));
      }
      missing.put(index, blocks(i, text, blockCount.applyAsInt(index)));
      last = index;
    }
    return missing.isEmpty() ? NONE : new Deltas(missing);
  }

  private static BitSet blocks(int i, String text, int count) {
    BitSet blocks;
    try {
      byte[] bytes = Base64.getDecoder().decode(text);
      if (bytes.length > count / 8 + 1) {
        throw new IllegalArgumentException("longer than " + count + " blocks");
      }
      blocks = BitSet.valueOf(bytes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("deltas[" + i + "]: bad blocks (" + e.getMessage() + ")");
    }
    if (blocks.length() > count || blocks.cardinality() == count) {
      throw new IllegalArgumentException("deltas[" + i + "]: " + (blocks.length() > count ? "a block beyond the "
          : "every one of the ") + count + " blocks of the file");
    }
    return blocks;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Deltas that && missing.equals(that.missing);
  }

  @Override
  public int hashCode() {
    return missing.hashCode();
  }

  @Override
  public String toString() {
    return "Deltas" + missing;
  }
}
