package io.gosync.protocol;

import io.vertx.core.json.JsonObject;

/**
 * The source asks a target to prepare its share of a task (gosync.node.&lt;target&gt;.prepare):
 * fetch the manifest, diff it against {@code dst}, and answer with a {@link PrepareReply}.
 * {@code dst} need only be a string here: the target's scanner checks it as a path, against its
 * own allowed directories, and names it in its refusal.
 */
public record Prepare(String taskId, String source, String dst, boolean delete, boolean overwrite,
                      ManifestRef manifest) {

  public JsonObject toJson() {
    return new JsonObject().put("taskId", taskId).put("source", source).put("dst", dst)
        .put("delete", delete).put("overwrite", overwrite).put("manifest", manifest.toJson());
  }

  public static Prepare fromJson(JsonObject json) {
    JsonFields fields = JsonFields.of(json, "prepare");
    return new Prepare(TaskId.check("taskId", fields.optionalText("taskId")), fields.text("source"),
        fields.text("dst"), fields.flag("delete"), fields.flag("overwrite"),
        ManifestRef.fromJson(fields.object("manifest")));
  }
}
