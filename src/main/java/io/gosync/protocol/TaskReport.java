package io.gosync.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A task as its source reports it: the reply to a {@link StatusRequest}, and the body of the
 * {@code done} event. {@code files} and {@code bytes} (the whole source tree) are null until the
 * scan, and so is {@code hashedBytes}, the file contents the scan read to hash (0 when the source's
 * hash cache knew every file: a re-sync of an unchanged tree); {@code groups} counts the relay
 * groups started so far; {@code ok} is true once the task is done with no failed target. The
 * targets are in request order.
 */
public record TaskReport(String id, String source, TaskRequest request, TaskState state, String message,
                         Long files, Long bytes, Long hashedBytes, int groups, long startedAt, Long finishedAt,
                         boolean ok, List<TargetLine> targets) {

  public TaskReport {
    targets = List.copyOf(targets);
  }

  public JsonObject toJson() {
    JsonArray lines = new JsonArray();
    targets.forEach(line -> lines.add(line.toJson()));
    return new JsonObject()
        .put("id", id).put("source", source)
        .put("request", request.toJson())
        .put("state", state.label()).put("message", message)
        .put("files", files)
        .put("bytes", bytes)
        .put("hashedBytes", hashedBytes)
        .put("groups", groups)
        .put("startedAt", startedAt).put("finishedAt", finishedAt)
        .put("ok", ok)
        .put("targets", lines);
  }

  public static TaskReport fromJson(JsonObject json) {
    return fromJson(JsonFields.of(json, "task report"));
  }

  static TaskReport fromJson(JsonFields fields) {
    List<TargetLine> targets = fields.objects("targets").stream().map(TargetLine::fromJson).toList();
    return new TaskReport(fields.text("id"), fields.text("source"), request(fields.rawObject("request")),
        fields.parsed("state", TaskState::fromLabel), fields.optionalText("message"),
        fields.optionalCount("files"), fields.optionalCount("bytes"), fields.optionalCount("hashedBytes"),
        fields.whole("groups"),
        fields.count("startedAt"), fields.optionalCount("finishedAt"), fields.flag("ok"), targets);
  }

  /** The request as accepted: every default is filled in, so no fallback fan-out is ever used. */
  private static TaskRequest request(JsonObject json) {
    try {
      return TaskRequest.fromJson(json, 1);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("request." + e.getMessage(), e);
    }
  }
}
