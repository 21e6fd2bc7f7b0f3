package io.gosync.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Source files a target did not get because the source could not read them whole (unreadable,
 * vanished, changed while read): how many, and the first {@link #LISTED} as "path: reason".
 * On the wire as {@code skipped} (the count) and {@code skippedPaths} (only when there are some).
 */
public record Skipped(long count, List<String> paths) {

  /** As many as conflicts are listed: enough to act on, bounded however many files fail. */
  public static final int LISTED = 20;
  public static final Skipped NONE = new Skipped(0, List.of());

  public Skipped {
    paths = List.copyOf(paths);
    String why = excess(count, paths.size());
    if (why != null) {
      throw new IllegalArgumentException("skippedPaths: " + why);
    }
  }

  private static String excess(long count, int listed) {
    return count >= 0 && listed <= Math.min(count, LISTED) ? null
        : listed + " paths listed for " + count + " skipped files (at most " + LISTED + ")";
  }

  /** All of these, the first {@link #LISTED} named. */
  public static Skipped of(List<String> all) {
    return NONE.and(new Skipped(all.size(), all.subList(0, Math.min(all.size(), LISTED))));
  }

  public Skipped and(String one) {
    return and(new Skipped(1, List.of(one)));
  }

  public Skipped and(Skipped more) {
    List<String> both = new ArrayList<>(paths);
    more.paths.stream().limit(LISTED - paths.size()).forEach(both::add);
    return new Skipped(count + more.count, both);
  }

  public boolean isEmpty() {
    return count == 0;
  }

  JsonObject into(JsonObject json) {
    json.put("skipped", count);
    if (!paths.isEmpty()) {
      json.put("skippedPaths", new JsonArray(paths));
    }
    return json;
  }

  static Skipped from(JsonFields fields) {
    long count = fields.count("skipped");
    List<String> paths = fields.texts("skippedPaths");
    String why = excess(count, paths.size());
    if (why != null) {
      throw fields.refused("skippedPaths", why);
    }
    return new Skipped(count, paths);
  }
}
