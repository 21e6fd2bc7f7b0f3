package io.gosync.protocol;

import io.vertx.core.json.JsonObject;

/**
 * The source asks a target to prepare its share of a task (gosync.node.&lt;target&gt;.prepare):
 * fetch the manifest, diff it against {@code dst}, and answer with a {@link PrepareReply}.
 * {@code dst} need only be a string here: the target's scanner checks it as a path, against its
 * own allowed directories, and names it in its refusal. {@code target} is the target as the task
 * names it (a node name, host or host:dataPort); the source resolved it through Hazelcast's node map,
 * which anyone on Hazelcast may rewrite, so the target checks that it answers to it before it does
 * anything. It may be absent (null), for a peer that resolved nothing.
 */
public record Prepare(String taskId, String source, String dst, boolean delete, boolean overwrite,
                      ManifestRef manifest, String target) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("taskId", taskId).put("source", source).put("dst", dst)
        .put("delete", delete).put("overwrite", overwrite).put("manifest", manifest.toJson());
    return target == null ? json : json.put("target", target);
  }

  public static Prepare fromJson(JsonObject json) {
    JsonFields fields = JsonFields.of(json, "prepare");
    return new Prepare(TaskId.check("taskId", fields.optionalText("taskId")), fields.text("source"),
        fields.text("dst"), fields.flag("delete"), fields.flag("overwrite"),
        ManifestRef.fromJson(fields.object("manifest")), fields.optionalText("target"));
  }
}
