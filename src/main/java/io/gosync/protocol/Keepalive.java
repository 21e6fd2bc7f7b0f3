package io.gosync.protocol;

import io.vertx.core.json.JsonObject;

/**
 * The source's heartbeat to the targets of a task (published on gosync.task.&lt;id&gt;.keepalive).
 * Its arrival is the whole message: targets only note that the source is alive.
 */
public record Keepalive(String source) {

  public JsonObject toJson() {
    return new JsonObject().put("source", source);
  }

  public static Keepalive fromJson(JsonObject json) {
    return new Keepalive(JsonFields.of(json, "keepalive").text("source"));
  }
}
