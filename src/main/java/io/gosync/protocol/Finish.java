package io.gosync.protocol;

import io.vertx.core.json.JsonObject;

/** The source tells a target whose need-list was empty to finish without data (gosync.node.&lt;target&gt;.finish). */
public record Finish(String taskId) {

  public JsonObject toJson() {
    return new JsonObject().put("taskId", taskId);
  }

  public static Finish fromJson(JsonObject json) {
    return new Finish(TaskId.check("taskId", JsonFields.of(json, "finish").optionalText("taskId")));
  }
}
