package io.gosync.relay.wire;

import io.gosync.protocol.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** A node of a relay tree: where to connect, and the subtree it must serve in turn. */
public record TreeNode(String name, String host, int port, List<TreeNode> children) {

  public TreeNode {
    children = List.copyOf(children);
  }

  /**
   * Plans a tree of fan-out {@code fanout} over targets in the given order: the source feeds the
   * first {@code fanout} targets and target i feeds targets fanout*(i+1) .. fanout*(i+1)+fanout-1,
   * so the depth is about log_fanout(N) and every node forwards to at most fanout children.
   *
   * @return the source's children
   */
  public static List<TreeNode> plan(List<TreeNode> targets, int fanout) {
    return childrenOf(-1, targets, fanout);
  }

  private static List<TreeNode> childrenOf(int parent, List<TreeNode> targets, int fanout) {
    List<TreeNode> children = new ArrayList<>();
    int first = fanout * (parent + 1);
    for (int i = first; i < Math.min(first + fanout, targets.size()); i++) {
      TreeNode target = targets.get(i);
      children.add(new TreeNode(target.name(), target.host(), target.port(), childrenOf(i, targets, fanout)));
    }
    return children;
  }

  /** Levels below this node: 0 for a leaf. */
  public int height() {
    int height = 0;
    for (TreeNode child : children) {
      height = Math.max(height, child.height() + 1);
    }
    return height;
  }

  public int size() {
    int size = 1;
    for (TreeNode child : children) {
      size += child.size();
    }
    return size;
  }

  public JsonObject toJson() {
    JsonArray kids = new JsonArray();
    children.forEach(child -> kids.add(child.toJson()));
    return new JsonObject().put("name", name).put("host", host).put("port", port).put("children", kids);
  }

  /** Checks every field: the tree comes from a peer. Names the first bad one, e.g. {@code children[1].port}. */
  public static TreeNode fromJson(JsonObject json) {
    return read(JsonFields.of(json, "node"));
  }

  static TreeNode read(JsonFields fields) {
    String name = fields.text("name");
    String host = fields.text("host");
    int port = fields.whole("port", 1, 65535);
    List<TreeNode> children = new ArrayList<>();
    if (fields.has("children")) {
      for (JsonFields child : fields.objects("children")) {
        children.add(read(child));
      }
    }
    return new TreeNode(name, host, port, children);
  }
}
