package io.gosync.protocol;

import io.vertx.core.json.JsonObject;

/**
 * The source gives up on a target (gosync.node.&lt;target&gt;.abort); the target closes its part.
 * {@code reason} is what the source reports for it, and may be absent.
 */
public record Abort(String taskId, String reason) {

  public JsonObject toJson() {
    return new JsonObject().put("taskId", taskId).put("reason", reason);
  }

  public static Abort fromJson(JsonObject json) {
    JsonFields fields = JsonFields.of(json, "abort");
    return new Abort(TaskId.check("taskId", fields.optionalText("taskId")), fields.optionalText("reason"));
  }
}
