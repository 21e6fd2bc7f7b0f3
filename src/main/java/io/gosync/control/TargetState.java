package io.gosync.control;

import io.gosync.liveness.Silence;
import io.gosync.protocol.NeedList;
import io.gosync.protocol.NodeInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;


/** What the source knows of one target of a task; owned by that task on the control event loop. */
final class TargetState {

  enum Status {
    PENDING, PREPARING, PREPARED, TRANSFERRING, OK, UNCHANGED, FAILED;

    boolean isFinal() {
      return this == OK || this == UNCHANGED || this == FAILED;
    }

    String label() {
      return name().toLowerCase();
    }
  }

  final String requested;
  final NodeInfo node;
  Status status = Status.PENDING;
  NeedList need = NeedList.NONE;
  long needFiles;
  long needBytes;
  long files;
  long bytes;
  long created;
  long deleted;
  long fixed;
  long conflicts;
  JsonArray conflictPaths = new JsonArray();
  String message;
  /** The node whose relay stream fed this target (the source, or a relay). */
  String via;
  /** Any word from the target counts; the source gives up on it after the target timeout. */
  final Silence silence = Silence.fromNow();

  TargetState(String requested, NodeInfo node) {
    this.requested = requested;
    this.node = node;
  }

  String name() {
    return node != null ? node.name() : requested;
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("target", requested)
        .put("node", node == null ? null : node.name())
        .put("status", status.label())
        .put("files", files).put("bytes", bytes)
        .put("totalFiles", needFiles).put("totalBytes", needBytes)
        .put("created", created).put("deleted", deleted).put("fixed", fixed)
        .put("conflicts", conflicts)
        .put("via", via);
    if (!conflictPaths.isEmpty()) {
      json.put("conflictPaths", conflictPaths);
    }
    return json.put("message", message);
  }
}
