package io.gosync.protocol;

import io.vertx.core.json.JsonObject;

/**
 * Asks for one task (gosync.node.&lt;name&gt;.tasks.status); the reply is its {@link TaskReport}.
 * The id is not held to the task-id rule: an id no task can have is simply not found.
 */
public record StatusRequest(String id) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id);
  }

  public static StatusRequest fromJson(JsonObject json) {
    return new StatusRequest(JsonFields.of(json, "status request").text("id"));
  }
}
