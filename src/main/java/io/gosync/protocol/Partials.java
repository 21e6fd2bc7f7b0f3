package io.gosync.protocol;

import io.vertx.core.json.JsonArray;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The needed files whose start a target already holds, cut off in an earlier task, and how many bytes of each:
 * a group's stream sends those files from there on. Immutable. Its one encoding is a JSON array of
 * {@code [index, bytes]} pairs in index order.
 */
public final class Partials {

  public static final Partials NONE = new Partials(new TreeMap<>());

  private final TreeMap<Integer, Long> bytes;

  private Partials(TreeMap<Integer, Long> bytes) {
    this.bytes = bytes;
  }

  /** @param bytes index to the bytes held, each at least one */
  public static Partials of(Map<Integer, Long> bytes) {
    return bytes.isEmpty() ? NONE : new Partials(new TreeMap<>(bytes));
  }

  /** The bytes of file {@code index} held already; 0 when none. */
  public long held(int index) {
    return bytes.getOrDefault(index, 0L);
  }

  public int size() {
    return bytes.size();
  }

  /** Index to bytes held, in index order. */
  public Map<Integer, Long> asMap() {
    return Collections.unmodifiableMap(bytes);
  }

  /** The bytes every one of these holds: a file's least over all, and none where any of them holds none. */
  public static Partials common(Collection<Partials> all) {
    if (all.isEmpty()) {
      return NONE;
    }
    TreeMap<Integer, Long> least = null;
    for (Partials one : all) {
      if (least == null) {
        least = new TreeMap<>(one.bytes);
      } else {
        least.keySet().retainAll(one.bytes.keySet());
        least.replaceAll((index, held) -> Math.min(held, one.bytes.get(index)));
      }
    }
    return of(least);
  }

  public JsonArray toJson() {
    JsonArray pairs = new JsonArray();
    bytes.forEach((index, held) -> pairs.add(new JsonArray().add(index).add(held)));
    return pairs;
  }

  /** Decodes and checks: each index needed (so at most one per needed file), in order, each count at least 1. */
  public static Partials fromJson(JsonArray pairs, NeedList need) {
    if (pairs.size() > need.size()) {
      throw new IllegalArgumentException("partials: more than the " + need.size() + " files needed");
    }
    TreeMap<Integer, Long> bytes = new TreeMap<>();
    int last = -1;
    for (int i = 0; i < pairs.size(); i++) {
      if (!(pairs.getValue(i) instanceof JsonArray pair) || pair.size() != 2
          || !(pair.getValue(0) instanceof Integer index)
          || !(pair.getValue(1) instanceof Number held && (held instanceof Integer || held instanceof Long))) {
        throw new IllegalArgumentException("partials[" + i + "]: must be [index, bytes]");
      }
      if (index <= last || !need.contains(index)) {
        throw new IllegalArgumentException("partials[" + i + "]: index " + index
            + (index <= last ? " out of order" : " is not needed"));
      }
      if (held.longValue() < 1) {
        throw new IllegalArgumentException("partials[" + i + "]: bytes must be at least 1");
      }
      bytes.put(index, held.longValue());
      last = index;
    }
    return of(bytes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Partials that && bytes.equals(that.bytes);
  }

  @Override
  public int hashCode() {
    return bytes.hashCode();
  }

  @Override
  public String toString() {
    return "Partials" + bytes;
  }
}
