package io.gosync.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * One target's line in a task report, and the body of a {@code target} event. {@code target} is
 * the target as requested, {@code node} the node it resolved to (null if none); the totals are
 * what its need-list asked for, less what it keeps of old versions; {@code rebuilt} what it built from them; {@code conflictPaths} is written only when there are some, and so
 * is {@code skippedPaths} (source files the target did not get; {@code skipped} counts them).
 */
public record TargetLine(String target, String node, TargetStatus status, long files, long bytes, Rebuilt rebuilt,
                         long totalFiles, long totalBytes, long created, long deleted, long fixed, long conflicts,
                         String via, List<String> conflictPaths, Skipped skipped, String message) {

  public TargetLine {
    conflictPaths = List.copyOf(conflictPaths);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("target", target)
        .put("node", node)
        .put("status", status.label())
        .put("files", files).put("bytes", bytes)
        .put("totalFiles", totalFiles).put("totalBytes", totalBytes)
        .put("created", created).put("deleted", deleted).put("fixed", fixed)
        .put("conflicts", conflicts)
        .put("via", via);
    if (!conflictPaths.isEmpty()) {
      json.put("conflictPaths", new JsonArray(conflictPaths));
    }
    return skipped.into(rebuilt.into(json)).put("message", message);
  }

  public static TargetLine fromJson(JsonObject json) {
    return fromJson(JsonFields.of(json, "target line"));
  }

  static TargetLine fromJson(JsonFields fields) {
    return new TargetLine(fields.text("target"), fields.optionalText("node"),
        fields.parsed("status", TargetStatus::fromLabel), fields.count("files"), fields.count("bytes"),
        Rebuilt.from(fields), fields.count("totalFiles"), fields.count("totalBytes"), fields.count("created"), fields.count("deleted"),
        fields.count("fixed"), fields.count("conflicts"), fields.optionalText("via"), fields.texts("conflictPaths"),
        Skipped.from(fields), fields.optionalText("message"));
  }
}
