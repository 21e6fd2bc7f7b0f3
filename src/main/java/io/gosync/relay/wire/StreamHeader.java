package io.gosync.relay.wire;

import io.gosync.protocol.JsonFields;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The first thing on every relay connection, written by the parent for this one edge: which
 * task the stream belongs to, who writes it, the subtree the receiving node must serve, and the
 * height of the whole tree (its silence limit depends on it). Everything after it (the body) is
 * the same bytes on every edge of the tree, so a count of body bytes is a place in the stream on
 * any edge.
 *
 * <p>A {@code relink} header comes from an ancestor taking the receiver over from a parent that died
 * or stalled: the receiver answers with the body bytes it has ({@link #RELINK_REPLY_BYTES}, a long), and
 * the body goes on from there.
 */
public record StreamHeader(String taskId, String parent, TreeNode node, int treeHeight, boolean relink) {

  /** First bytes of every relay connection: protocol name and version. */
  public static final int MAGIC = 0x47535931; // "GSY1"
  /**
   * Largest relay stream header we accept. A header carries the receiver's subtree: for 1,000 targets
   * (any fan-out) it measured 66 KB with names like web-0001 and IPv4 hosts, and 365 KB with the longest
   * names a certificate allows (63 characters) and 253-character host names. 512 KiB holds the latter with
   * room; the 16 MiB this was let 30 connections hold 450 MiB of a 256 MiB daemon's heap (issue 10).
   */
  public static final int MAX_BYTES = 512 * 1024;
  /** The magic and the length of the JSON that follows. */
  static final int PREAMBLE_BYTES = 8;
  /** A relinked receiver's answer: how many body bytes it has, a long. */
  public static final int RELINK_REPLY_BYTES = 8;

  /**
   * What a child taken over by an ancestor writes to its old parent before it closes that connection: the only
   * byte a child ever sends its parent. Without it, the parent would take the child's children over, as from a
   * child that died, and feed them a stream it may no longer have (a straggler moved out of the tree).
   */
  public static final byte TAKEN_OVER = 'T';

  /** A relinked receiver's answer: the body bytes it has. */
  public static Buffer relinkAnswer(long offset) {
    return Buffer.buffer(RELINK_REPLY_BYTES).appendLong(offset);
  }

  public StreamHeader(String taskId, String parent, TreeNode node, int treeHeight) {
    this(taskId, parent, node, treeHeight, false);
  }

  /** The header this node writes for one of its children: the child's subtree, this node as parent. */
  public StreamHeader forChild(TreeNode child) {
    return new StreamHeader(taskId, node.name(), child, treeHeight);
  }

  /** The header this node writes for a node below it whose parent it takes over. */
  public StreamHeader forAdopted(TreeNode adopted) {
    return new StreamHeader(taskId, node.name(), adopted, treeHeight, true);
  }

  public Buffer encode() {
    Buffer json = new JsonObject()
        .put("taskId", taskId).put("parent", parent).put("node", node.toJson()).put("treeHeight", treeHeight)
        .put("relink", relink).toBuffer();
    return Buffer.buffer(PREAMBLE_BYTES + json.length()).appendInt(MAGIC).appendInt(json.length()).appendBuffer(json);
  }

  /** The one check of a header from a peer: names the first field that is missing or wrong. */
  public static StreamHeader decode(Buffer json) {
    try {
      JsonFields header = JsonFields.of(json.toJsonObject(), "header");
      return new StreamHeader(header.text("taskId"), header.text("parent"), TreeNode.read(header.object("node")),
          header.whole("treeHeight", 0, Integer.MAX_VALUE), header.flag("relink"));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("bad relay stream header: " + e.getMessage());
    }
  }
}
