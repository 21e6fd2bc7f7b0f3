package io.gosync.protocol;

import io.vertx.core.json.JsonObject;

/**
 * A target asks the source for one chunk of a task's manifest (gosync.task.&lt;id&gt;.manifest);
 * the reply is the chunk, a Buffer.
 */
public record ChunkRequest(int chunk) {

  public JsonObject toJson() {
    return new JsonObject().put("chunk", chunk);
  }

  /** Only the source knows how many chunks there are; it checks the range. */
  public static ChunkRequest fromJson(JsonObject json) {
    return new ChunkRequest(JsonFields.of(json, "chunk request").whole("chunk"));
  }
}
