package io.gosync.relay.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The first thing on every relay connection, written by the parent for this one edge: which
 * task and group the stream belongs to, who the source is, and the subtree the receiving node
 * must serve. Everything after it (the body) is the same bytes on every edge of the tree.
 */
public record StreamHeader(String taskId, int group, String source, String parent, TreeNode node,
                           int treeHeight, boolean compressed, long files, long bytes) {

  /** First bytes of every relay connection: protocol name and version. */
  public static final int MAGIC = 0x47535931; // "GSY1"
  /** Largest relay stream header we accept, so a bad peer cannot make us buffer without bound. */
  public static final int MAX_BYTES = 16 * 1024 * 1024;

  /** The header this node writes for one of its children: the child's subtree, this node as parent. */
  public StreamHeader forChild(TreeNode child) {
    return new StreamHeader(taskId, group, source, node.name(), child, treeHeight, compressed, files, bytes);
  }

  public Buffer encode() {
    Buffer json = new JsonObject()
        .put("taskId", taskId).put("group", group).put("source", source).put("parent", parent)
        .put("node", node.toJson()).put("treeHeight", treeHeight)
        .put("compressed", compressed).put("files", files).put("bytes", bytes)
        .toBuffer();
    return Buffer.buffer(8 + json.length()).appendInt(MAGIC).appendInt(json.length()).appendBuffer(json);
  }

  public static StreamHeader decode(Buffer json) {
    try {
      JsonObject object = json.toJsonObject();
      for (String field : new String[] {"taskId", "source", "parent"}) {
        if (object.getString(field) == null) {
          throw new IllegalArgumentException(field + " is missing");
        }
      }
      if (object.getJsonObject("node") == null || object.getJsonObject("node").getString("name") == null) {
        throw new IllegalArgumentException("node.name is missing");
      }
      return new StreamHeader(object.getString("taskId"), object.getInteger("group"), object.getString("source"),
          object.getString("parent"), TreeNode.fromJson(object.getJsonObject("node")),
          object.getInteger("treeHeight", 0), object.getBoolean("compressed"),
          object.getLong("files"), object.getLong("bytes"));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("bad relay stream header: " + e.getMessage());
    }
  }
}
