package io.gosync.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A target's answer to {@link Prepare}: what it needs sent and what preparing did. {@code need}
 * travels in its one encoding (base64 under "need"); {@code conflictPaths} are the first of the
 * {@code conflicts} entries left alone under {@code overwrite: false}.
 */
public record PrepareReply(NeedList need, long needFiles, long needBytes, long created, long deleted, long fixed,
                           long conflicts, List<String> conflictPaths) {

  public PrepareReply {
    conflictPaths = List.copyOf(conflictPaths);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("need", need.toBase64())
        .put("needFiles", needFiles).put("needBytes", needBytes)
        .put("created", created).put("deleted", deleted)
        .put("fixed", fixed).put("conflicts", conflicts)
        .put("conflictPaths", new JsonArray(conflictPaths));
  }

  /**
   * @param manifestSize the entries of the manifest the need-list indexes; it caps the need-list
   *                     before it is inflated (a bad need-list is refused in {@link NeedList}'s words)
   */
  public static PrepareReply fromJson(JsonObject json, int manifestSize) {
    JsonFields fields = JsonFields.of(json, "prepare reply");
    NeedList need = NeedList.fromBase64(fields.text("need"), manifestSize);
    return new PrepareReply(need, fields.count("needFiles"), fields.count("needBytes"), fields.count("created"),
        fields.count("deleted"), fields.count("fixed"), fields.count("conflicts"), fields.texts("conflictPaths"));
  }
}
