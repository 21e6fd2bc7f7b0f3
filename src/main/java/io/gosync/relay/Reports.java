package io.gosync.relay;

import io.gosync.Constants;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * Messages a relay node sends straight to the task's source (gosync.task.&lt;id&gt;.control):
 * progress of its own landing, and the failure of a child it could not reach or lost.
 */
final class Reports {

  private Reports() {
  }

  static void progress(EventBus bus, String taskId, String target, long files, long bytes) {
    bus.send(Constants.taskAddress(taskId, Constants.CONTROL), new JsonObject()
        .put("type", "progress").put("target", target).put("files", files).put("bytes", bytes));
  }

  static void childFailed(EventBus bus, String taskId, String target, String message) {
    bus.send(Constants.taskAddress(taskId, Constants.CONTROL), new JsonObject()
        .put("type", "result").put("target", target).put("status", "failed").put("message", message));
  }
}
