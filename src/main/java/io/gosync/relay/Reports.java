package io.gosync.relay;

import io.gosync.protocol.Constants;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * The one place that writes what targets and relays tell a task's source on
 * gosync.task.&lt;id&gt;.control: heartbeats, progress, and results (a target's own, or the
 * failure of a child a relay could not reach or lost).
 */
public final class Reports {

  private Reports() {
  }

  public static void live(EventBus bus, String taskId, String target, String phase) {
    send(bus, taskId, "live", target, new JsonObject().put("phase", phase));
  }

  static void progress(EventBus bus, String taskId, String target, long files, long bytes) {
    send(bus, taskId, "progress", target, new JsonObject().put("files", files).put("bytes", bytes));
  }

  /** @param result status, and files, bytes, fixedDirectories, via, message as known */
  public static void result(EventBus bus, String taskId, String target, JsonObject result) {
    send(bus, taskId, "result", target, result);
  }

  static void childFailed(EventBus bus, String taskId, String target, String message) {
    result(bus, taskId, target, new JsonObject().put("status", "failed").put("message", message));
  }

  private static void send(EventBus bus, String taskId, String type, String target, JsonObject fields) {
    bus.send(Constants.taskAddress(taskId, Constants.CONTROL), fields.put("type", type).put("target", target));
  }
}
