package io.gosync.control;

import io.gosync.protocol.Constants;
import io.gosync.protocol.TargetLine;
import io.gosync.protocol.TaskEvent;
import io.gosync.protocol.TaskReport;
import io.gosync.protocol.TaskState;
import io.vertx.core.eventbus.EventBus;

import static io.gosync.protocol.Constants.taskAddress;

/** Publishes one task's events on gosync.task.&lt;id&gt;.events, for the HTTP API and other applications. */
final class TaskEvents {

  private final EventBus bus;
  private final String taskId;
  private final String address;

  TaskEvents(EventBus bus, String taskId) {
    this.bus = bus;
    this.taskId = taskId;
    this.address = taskAddress(taskId, Constants.EVENTS);
  }

  void state(TaskState state) {
    publish(new TaskEvent.State(taskId, state));
  }

  void target(TargetLine line) {
    publish(new TaskEvent.Target(taskId, line));
  }

  void progress(TargetLine line) {
    publish(new TaskEvent.Progress(taskId, line.target(), line.files(), line.bytes(), line.totalFiles(),
        line.totalBytes()));
  }

  void relinked(String target, String parent) {
    publish(new TaskEvent.Relinked(taskId, target, parent));
  }

  void moved(String target, String parent, String why) {
    publish(new TaskEvent.Moved(taskId, target, parent, why));
  }

  void done(TaskReport report) {
    publish(new TaskEvent.Done(taskId, report));
  }

  private void publish(TaskEvent event) {
    bus.publish(address, event.toJson());
  }
}
