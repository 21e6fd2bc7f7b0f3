package io.gosync.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A sync task as submitted over HTTP or the event bus. {@link #fromJson} is the one place where
 * a request is checked; its errors name the offending field.
 */
public record TaskRequest(String id, String src, String dst, List<String> targets, boolean delete,
                          boolean overwrite, boolean compress, int fanout) {

  /** The widest relay tree a task may ask for: each node forwards to at most this many children. */
  public static final int MAX_FANOUT = 64;

  private static final Set<String> FIELDS =
      Set.of("id", "src", "dst", "targets", "delete", "overwrite", "compress", "fanout");

  public TaskRequest {
    targets = List.copyOf(targets);
  }

  public static TaskRequest fromJson(JsonObject json, int defaultFanout) {
    if (json == null) {
      throw new IllegalArgumentException("the request must be a JSON object");
    }
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException(field + ": unknown field; expected one of " + FIELDS);
      }
    }
    JsonFields fields = JsonFields.of(json, "request");
    String id = fields.optionalText("id");
    id = id == null ? UUID.randomUUID().toString() : TaskId.check("id", id);
    return new TaskRequest(id, absolutePath(fields, "src"), absolutePath(fields, "dst"), targets(json),
        flag(fields, "delete", false), flag(fields, "overwrite", true), flag(fields, "compress", false),
        fanout(json, defaultFanout));
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("src", src).put("dst", dst).put("targets", new JsonArray(targets))
        .put("delete", delete).put("overwrite", overwrite).put("compress", compress).put("fanout", fanout);
  }

  private static String absolutePath(JsonFields fields, String field) {
    String path = fields.optionalText(field);
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException(field + ": is required");
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException(field + ": must be an absolute path, got '" + path + "'");
    }
    if (path.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(field + ": contains NUL");
    }
    for (String segment : path.split("/")) {
      if (segment.equals("..")) {
        throw new IllegalArgumentException(field + ": must not contain '..', got '" + path + "'");
      }
    }
    return path;
  }

  private static List<String> targets(JsonObject json) {
    Object value = json.getValue("targets");
    List<String> raw = new ArrayList<>();
    if (value instanceof String text) {
      raw.addAll(List.of(text.split(",")));
    } else if (value instanceof JsonArray array) {
      for (Object item : array) {
        if (!(item instanceof String text)) {
          throw new IllegalArgumentException("targets: every target must be a string");
        }
        raw.add(text);
      }
    } else if (value != null) {
      throw new IllegalArgumentException("targets: must be a list of node names, hosts or host:port");
    }
    Set<String> targets = new LinkedHashSet<>();
    for (String target : raw) {
      if (!target.isBlank()) {
        targets.add(target.trim());
      }
    }
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("targets: at least one target is required");
    }
    return new ArrayList<>(targets);
  }

  private static boolean flag(JsonFields fields, String field, boolean fallback) {
    return fields.has(field) ? fields.flag(field) : fallback;
  }

  private static int fanout(JsonObject json, int fallback) {
    Object value = json.getValue("fanout");
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number n) || n.doubleValue() != n.intValue()
        || n.intValue() < 1 || n.intValue() > MAX_FANOUT) {
      throw new IllegalArgumentException("fanout: must be a whole number from 1 to " + MAX_FANOUT);
    }
    return n.intValue();
  }
}
