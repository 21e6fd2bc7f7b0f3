package io.gosync.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The source offers a target the block lists of new versions of large files it holds in another version (its
 * prepare reply's {@code bases}), so that it can answer with the blocks it lacks ({@link Deltas}), sent to
 * gosync.node.&lt;target&gt;.blocks. Only for files that changed: the lists never travel in the manifest. Its one
 * encoding: the task id, and {@code files}, pairs of {@code [index, list]} in index order, each list the base64 of
 * {@link BlockList#toBytes}.
 */
public record BlockOffer(String taskId, Map<Integer, BlockList> lists) {

  /**
   * The most list bytes one offer carries: 8 of the largest lists (4,096 blocks), or 2 TiB of files in 1 MiB blocks.
   * A target's other changed files are sent whole, so that one message stays a few MiB.
   */
  public static final int MAX_LIST_BYTES = 8 * BlockList.MAX_ENCODED_BYTES;

  public BlockOffer {
    lists = Collections.unmodifiableMap(new TreeMap<>(lists));
  }

  public JsonObject toJson() {
    JsonArray files = new JsonArray();
    lists.forEach((index, list) -> files.add(new JsonArray().add(index)
        .add(Base64.getEncoder().encodeToString(list.toBytes()))));
    return new JsonObject().put("taskId", taskId).put("files", files);
  }

  /** Decodes and checks: each index one of {@code bases}, in order, each list whole, at most {@link #MAX_LIST_BYTES}. */
  public static BlockOffer fromJson(JsonObject json, NeedList bases) {
    JsonFields fields = JsonFields.of(json, "block offer");
    String taskId = TaskId.check("taskId", fields.optionalText("taskId"));
    JsonArray files = fields.rawArray("files");
    TreeMap<Integer, BlockList> lists = new TreeMap<>();
    long bytes = 0;
    for (int i = 0; i < files.size(); i++) {
      if (!(files.getValue(i) instanceof JsonArray pair) || pair.size() != 2
          || !(pair.getValue(0) instanceof Integer index) || !(pair.getValue(1) instanceof String text)) {
        throw new IllegalArgumentException("files[" + i + "]: must be [index, list]");
      }
      if (!bases.contains(index) || (!lists.isEmpty() && index <= lists.lastKey())) {
        throw new IllegalArgumentException("files[" + i + "]: index " + index
            + (bases.contains(index) ? " out of order" : " is not a file held in another version"));
      }
      bytes += text.length() * 3L / 4;
      if (bytes > MAX_LIST_BYTES) {
        throw new IllegalArgumentException("files: more than " + MAX_LIST_BYTES + " bytes of block lists");
      }
      lists.put(index, list(i, text));
    }
    return new BlockOffer(taskId, lists);
  }

  private static BlockList list(int i, String text) {
    try {
      return BlockList.fromBytes(Base64.getDecoder().decode(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("files[" + i + "]: " + e.getMessage());
    }
  }
}
