package io.gosync.protocol;

import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What targets and relays tell a task's source on gosync.task.&lt;id&gt;.control, each with its
 * {@code type} and the {@code target} it is about (the sender itself, or a relay's child).
 * Any report is a sign of life of its target.
 */
public sealed interface TargetReport {

  String target();

  JsonObject toJson();

  static TargetReport fromJson(JsonObject json) {
    JsonFields fields = JsonFields.of(json, "report");
    String target = fields.text("target");
    String type = fields.text("type");
    return switch (type) {
      case Live.TYPE -> new Live(target, fields.text("phase"));
      case Progress.TYPE -> new Progress(target, fields.count("files"), fields.count("bytes"), Progress.held(fields));
      case Result.TYPE -> Result.fromJson(target, fields);
      case Relinked.TYPE -> new Relinked(target, fields.text("parent"));
      case CutOff.TYPE -> new CutOff(target, fields.text("message"));
      default -> throw fields.refused("type", "must be live, progress, relinked, cutOff or result, got '" + type + "'");
    };
  }

  private static JsonObject typed(JsonObject fields, String type, String target) {
    return fields.put("type", type).put("target", target);
  }

  /** A target part's heartbeat, every heartbeatMs, with where it stands (queued, manifest, …). */
  record Live(String target, String phase) implements TargetReport {

    static final String TYPE = "live";

    @Override
    public JsonObject toJson() {
      return typed(new JsonObject().put("phase", phase), TYPE, target);
    }
  }

  /**
   * What a receiving relay has landed so far, and how long each branch of its tee (its own landing, named by
   * the node, and each child) has held the stream back: the milliseconds it was full, since the stream began.
   */
  record Progress(String target, long files, long bytes, Map<String, Long> held) implements TargetReport {

    static final String TYPE = "progress";
    /** A node's own landing and its children, taken-over ones included: a handful. */
    static final int MAX_HELD = 64;
    /** A node's name is at most 63 characters (trust.NodeName); a branch's names one. */
    static final int MAX_NAME = 63;

    public Progress {
      held = Map.copyOf(held);
    }

    @Override
    public JsonObject toJson() {
      JsonObject branches = new JsonObject();
      held.forEach(branches::put);
      return typed(new JsonObject().put("files", files).put("bytes", bytes).put("held", branches), TYPE, target);
    }

    /** Absent is none; at most {@link #MAX_HELD} names, each of a node's length, with a count. */
    static Map<String, Long> held(JsonFields fields) {
      if (!fields.has("held")) {
        return Map.of();
      }
      JsonFields held = fields.object("held");
      Set<String> names = fields.rawObject("held").fieldNames();
      if (names.size() > MAX_HELD) {
        throw fields.refused("held", "more than " + MAX_HELD + " branches");
      }
      Map<String, Long> counts = new HashMap<>();
      for (String name : names) {
        if (name.isEmpty() || name.length() > MAX_NAME) {
          throw fields.refused("held", "a branch name of " + name.length() + " characters");
        }
        counts.put(name, held.count(name));
      }
      return counts;
    }
  }

  /** An ancestor took the target over mid-stream from a parent that died or stalled: it feeds it now. */
  record Relinked(String target, String parent) implements TargetReport {

    static final String TYPE = "relinked";

    @Override
    public JsonObject toJson() {
      return typed(new JsonObject().put("parent", parent), TYPE, target);
    }
  }

  /**
   * A target's stream stopped before its end and no ancestor took it over (one too far behind for their replay
   * windows, or below a node that lost its own stream): what it landed stands, and its part is over. The source
   * feeds it again, or fails it with {@code message}.
   */
  record CutOff(String target, String message) implements TargetReport {

    static final String TYPE = "cutOff";

    @Override
    public JsonObject toJson() {
      return typed(new JsonObject().put("message", message), TYPE, target);
    }
  }

  /**
   * A target's own final word, or a relay's about a child it could not reach or lost. A failed
   * result carries only its message; the counts, {@code via} and the skipped files belong to ok,
   * unchanged and partial, and a result with skipped files is partial.
   */
  record Result(String target, TargetStatus status, long files, long bytes, Rebuilt rebuilt, long fixedDirectories,
                String via, Skipped skipped, String message) implements TargetReport {

    static final String TYPE = "result";

    public Result {
      if (!status.isFinal()) {
        throw new IllegalArgumentException("a result is ok, unchanged, partial or failed, not " + status.label());
      }
      String mismatch = mismatch(status, skipped);
      if (mismatch != null) {
        throw new IllegalArgumentException("skipped: " + mismatch);
      }
    }

    /** Why the status does not fit the skipped files, or null: partial exactly when some were skipped. */
    private static String mismatch(TargetStatus status, Skipped skipped) {
      return status == TargetStatus.FAILED || (status == TargetStatus.PARTIAL) != skipped.isEmpty() ? null
          : "a result is partial exactly when files were skipped, not " + status.label() + " with " + skipped.count();
    }

    public static Result failed(String target, String message) {
      return new Result(target, TargetStatus.FAILED, 0, 0, Rebuilt.NONE, 0, null, Skipped.NONE, message);
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("status", status.label());
      if (status != TargetStatus.FAILED) {
        json.put("files", files).put("bytes", bytes).put("fixedDirectories", fixedDirectories).put("via", via);
        rebuilt.into(json);
        skipped.into(json);
      }
      return typed(json.put("message", message), TYPE, target);
    }

    static Result fromJson(String target, JsonFields fields) {
      TargetStatus status = fields.parsed("status", TargetStatus::fromLabel);
      if (!status.isFinal()) {
        throw fields.refused("status", "a result is ok, unchanged, partial or failed, not " + status.label());
      }
      if (status == TargetStatus.FAILED) {
        return failed(target, fields.optionalText("message"));
      }
      Skipped skipped = Skipped.from(fields);
      String mismatch = mismatch(status, skipped);
      if (mismatch != null) {
        throw fields.refused("skipped", mismatch);
      }
      return new Result(target, status, fields.count("files"), fields.count("bytes"), Rebuilt.from(fields),
          fields.count("fixedDirectories"), fields.optionalText("via"), skipped, fields.optionalText("message"));
    }
  }
}
