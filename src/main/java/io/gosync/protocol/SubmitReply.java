package io.gosync.protocol;

import io.vertx.core.json.JsonObject;

/** The answer to an accepted task request (gosync.node.&lt;name&gt;.tasks.submit): its id and its source. */
public record SubmitReply(String id, String source) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("source", source);
  }

  public static SubmitReply fromJson(JsonObject json) {
    JsonFields fields = JsonFields.of(json, "submit reply");
    return new SubmitReply(fields.text("id"), fields.text("source"));
  }
}
