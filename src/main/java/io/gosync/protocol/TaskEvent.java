package io.gosync.protocol;

import io.vertx.core.json.JsonObject;

/**
 * What a task's source publishes on gosync.task.&lt;id&gt;.events, and what the HTTP API streams as
 * server-sent events: each is its body's fields plus {@code type} and {@code taskId}.
 */
public sealed interface TaskEvent {

  /** The event's {@code type}, also the SSE event name. */
  String type();

  JsonObject toJson();

  /** True for the last event of a task: nothing follows it. */
  default boolean ends() {
    return false;
  }

  static TaskEvent fromJson(JsonObject json) {
    JsonFields fields = JsonFields.of(json, "event");
    String taskId = fields.text("taskId");
    String type = fields.text("type");
    return switch (type) {
      case State.TYPE -> new State(taskId, fields.parsed("state", TaskState::fromLabel));
      case Target.TYPE -> new Target(taskId, TargetLine.fromJson(fields));
      case Progress.TYPE -> new Progress(taskId, fields.text("target"), fields.count("files"), fields.count("bytes"),
          fields.count("totalFiles"), fields.count("totalBytes"));
      case Relinked.TYPE -> new Relinked(taskId, fields.text("target"), fields.text("parent"));
      case Moved.TYPE -> new Moved(taskId, fields.text("target"), fields.text("parent"), fields.text("why"));
      case Done.TYPE -> new Done(taskId, TaskReport.fromJson(fields));
      default -> throw fields.refused("type", "must be state, target, progress, relinked, moved or done, got '" + type
          + "'");
    };
  }

  private static JsonObject typed(JsonObject fields, String type, String taskId) {
    return fields.put("type", type).put("taskId", taskId);
  }

  /** The task moved to another state; the move to done is the {@link Done} event alone. */
  record State(String taskId, TaskState state) implements TaskEvent {

    static final String TYPE = "state";

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public JsonObject toJson() {
      return typed(new JsonObject().put("state", state.label()), TYPE, taskId);
    }
  }

  /** A target's status changed: its whole line. */
  record Target(String taskId, TargetLine line) implements TaskEvent {

    static final String TYPE = "target";

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public JsonObject toJson() {
      return typed(line.toJson(), TYPE, taskId);
    }
  }

  /** A target is fed by another parent from here on, an ancestor that took it over mid-stream. */
  record Relinked(String taskId, String target, String parent) implements TaskEvent {

    static final String TYPE = "relinked";

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public JsonObject toJson() {
      return typed(new JsonObject().put("target", target).put("parent", parent), TYPE, taskId);
    }
  }

  /**
   * A straggler held the others back: it is taken out of the relay tree ({@code parent} dropped it and took its
   * children over), and fed apart once the others are done.
   */
  record Moved(String taskId, String target, String parent, String why) implements TaskEvent {

    static final String TYPE = "moved";

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public JsonObject toJson() {
      return typed(new JsonObject().put("target", target).put("parent", parent).put("why", why), TYPE, taskId);
    }
  }

  /** What a receiving target has landed so far, against what its need-list asked for. */
  record Progress(String taskId, String target, long files, long bytes, long totalFiles, long totalBytes)
      implements TaskEvent {

    static final String TYPE = "progress";

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public JsonObject toJson() {
      return typed(new JsonObject().put("target", target).put("files", files).put("bytes", bytes)
          .put("totalFiles", totalFiles).put("totalBytes", totalBytes), TYPE, taskId);
    }
  }

  /** Every target has its result: the final report. */
  record Done(String taskId, TaskReport report) implements TaskEvent {

    static final String TYPE = "done";

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public JsonObject toJson() {
      return typed(report.toJson(), TYPE, taskId);
    }

    @Override
    public boolean ends() {
      return true;
    }
  }

  /**
   * The first event of the HTTP API's stream, never published on the bus: the task as it
   * stands, typed {@code done} if it is, else {@code status}, and without {@code taskId}.
   */
  record Snapshot(TaskReport report) implements TaskEvent {

    @Override
    public String type() {
      return ends() ? Done.TYPE : "status";
    }

    @Override
    public JsonObject toJson() {
      return report.toJson().put("type", type());
    }

    @Override
    public boolean ends() {
      return report.state() == TaskState.DONE;
    }
  }
}
