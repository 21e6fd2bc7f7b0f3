package io.gosync.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The source tells a member of a group which nodes may feed it (gosync.node.&lt;target&gt;.parents), once it
 * has planned the group's relay tree: its planned parent, grandparent, …, up to the source. Any of them may
 * connect, since a node adopts the children of a child it cannot reach or loses. The target's relay
 * accepts the task's stream only from one of these, as its certificate names it.
 */
public record ExpectedParents(String taskId, List<String> parents) {

  /** More ancestors than a chain of this many nodes has is no plan of ours. */
  public static final int MAX_PARENTS = 100_000;

  public ExpectedParents {
    parents = List.copyOf(parents);
  }

  public JsonObject toJson() {
    return new JsonObject().put("taskId", taskId).put("parents", new JsonArray(parents));
  }

  public static ExpectedParents fromJson(JsonObject json) {
    JsonFields fields = JsonFields.of(json, "expected parents");
    String taskId = TaskId.check("taskId", fields.optionalText("taskId"));
    List<String> parents = fields.texts("parents");
    if (parents.isEmpty() || parents.size() > MAX_PARENTS) {
      throw fields.refused("parents", "must name 1 to " + MAX_PARENTS + " nodes");
    }
    if (parents.stream().anyMatch(String::isEmpty)) {
      throw fields.refused("parents", "must not name an empty node");
    }
    return new ExpectedParents(taskId, parents);
  }
}
