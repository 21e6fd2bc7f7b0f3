package io.gosync.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A target's answer to {@link Prepare}: what it needs sent, what preparing did, and where its data port
 * listens. {@code need} travels in its one encoding (base64 under "need"), {@code partials} in its own (the
 * needed files an earlier task left the start of, sent from there on; none when absent); {@code conflictPaths} are the
 * first of the {@code conflicts} entries left alone under {@code overwrite: false}. {@code bases} are the needed
 * large files held here in another version, of which the source may offer block lists ({@link BlockOffer}); none
 * of them is a partial. The data address comes
 * from the target itself, over the mutual-TLS event bus, never from Hazelcast's node map: the relay tree is
 * built from it, and the sender's certificate check proves it.
 */
public record PrepareReply(NeedList need, Partials partials, NeedList bases, long needFiles, long needBytes, long created, long deleted, long fixed,
                           long conflicts, List<String> conflictPaths, String dataHost, int dataPort) {

  public PrepareReply {
    conflictPaths = List.copyOf(conflictPaths);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("need", need.toBase64())
        .put("partials", partials.toJson())
        .put("bases", bases.toBase64())
        .put("needFiles", needFiles).put("needBytes", needBytes)
        .put("created", created).put("deleted", deleted)
        .put("fixed", fixed).put("conflicts", conflicts)
        .put("conflictPaths", new JsonArray(conflictPaths))
        .put("dataHost", dataHost).put("dataPort", dataPort);
  }

  /**
   * @param manifestSize the entries of the manifest the need-list indexes; it caps the need-list
   *                     before it is inflated (a bad need-list is refused in {@link NeedList}'s words)
   */
  public static PrepareReply fromJson(JsonObject json, int manifestSize) {
    JsonFields fields = JsonFields.of(json, "prepare reply");
    NeedList need = NeedList.fromBase64(fields.text("need"), manifestSize);
    Partials partials = fields.has("partials") ? Partials.fromJson(fields.rawArray("partials"), need) : Partials.NONE;
    NeedList bases = fields.has("bases") ? NeedList.fromBase64(fields.text("bases"), manifestSize) : NeedList.NONE;
    bases.indices().filter(index -> !need.contains(index) || partials.held(index) > 0).findFirst().ifPresent(index -> {
      throw fields.refused("bases", "file " + index + " is " + (need.contains(index) ? "a partial" : "not needed"));
    });
    return new PrepareReply(need, partials, bases, fields.count("needFiles"), fields.count("needBytes"),
        fields.count("created"), fields.count("deleted"), fields.count("fixed"), fields.count("conflicts"),
        fields.texts("conflictPaths"), fields.text("dataHost"), fields.whole("dataPort", 1, 65535));
  }
}
