package io.gosync.protocol;

import io.vertx.core.json.JsonObject;

/**
 * Where a target finds a task's manifest: {@code chunks} pieces on gosync.task.&lt;id&gt;.manifest,
 * whose whole has the SHA-256 {@code digest}; {@code entries} is its entry count. The target
 * does not read {@code entries}, so a prepare without it is still taken (as 0). The chunk count
 * is checked against the target's own cap there, before it fetches anything.
 */
public record ManifestRef(String digest, int chunks, int entries) {

  public JsonObject toJson() {
    return new JsonObject().put("digest", digest).put("chunks", chunks).put("entries", entries);
  }

  static ManifestRef fromJson(JsonFields fields) {
    return new ManifestRef(fields.text("digest"), fields.whole("chunks"),
        fields.has("entries") ? fields.whole("entries") : 0);
  }
}
