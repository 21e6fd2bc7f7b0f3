package io.gosync.protocol;

import io.vertx.core.json.JsonObject;

/**
 * The source takes a straggler out of a task's relay tree (gosync.node.&lt;parent&gt;.relay.move, to the node
 * that feeds it): the parent drops it without a failure report and takes its children over; the source feeds
 * it apart once the others are done. {@code why} is what the task's events say of it.
 */
public record StragglerMove(String taskId, String straggler, String why) {

  public JsonObject toJson() {
    return new JsonObject().put("taskId", taskId).put("straggler", straggler).put("why", why);
  }

  public static StragglerMove fromJson(JsonObject json) {
    JsonFields fields = JsonFields.of(json, "move");
    return new StragglerMove(TaskId.check("taskId", fields.text("taskId")), fields.text("straggler"), fields.text("why"));
  }
}
