package io.gosync.relay;

import io.gosync.config.NodeConfig;
import io.gosync.protocol.Constants;
import io.gosync.protocol.TargetReport;
import io.gosync.protocol.TargetReport.Live;
import io.gosync.protocol.TargetReport.Progress;
import io.gosync.protocol.TargetReport.Result;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;

import java.util.Map;

/**
 * The one place that sends what targets and relays tell a task's source on
 * gosync.task.&lt;id&gt;.control: heartbeats, progress, relinks, cut-off streams, and results (a target's own, or the
 * failure of a child a relay could not reach or lost). The messages are {@link TargetReport}s.
 */
public final class Reports {

  private Reports() {
  }

  public static void live(EventBus bus, String taskId, Live live) {
    send(bus, taskId, live);
  }

  static void progress(EventBus bus, String taskId, String target, long files, long bytes, Map<String, Long> held) {
    send(bus, taskId, new Progress(target, files, bytes, held));
  }

  /**
   * The source's tee reports what held it back as its node's progress, as a receiver's does, every
   * progressIntervalMs until {@code sending} is over: what finds a straggler fed by the source (see Stragglers).
   */
  static <T> Future<T> heldWhile(Vertx vertx, EventBus bus, String taskId, NodeConfig config, TeeWriteStream tee,
      Future<T> sending) {
    long timer = vertx.setPeriodic(config.progressIntervalMs(),
        id -> progress(bus, taskId, config.name(), 0, tee.written(), tee.held()));
    return sending.onComplete(done -> vertx.cancelTimer(timer));
  }

  public static void result(EventBus bus, String taskId, Result result) {
    send(bus, taskId, result);
  }

  /** This target is fed by {@code parent} from here on: an ancestor took it over mid-stream. */
  static void relinked(EventBus bus, String taskId, String target, String parent) {
    send(bus, taskId, new TargetReport.Relinked(target, parent));
  }

  /** This target's stream was cut off: see {@link TargetReport.CutOff}. */
  public static void cutOff(EventBus bus, String taskId, String target, String message) {
    send(bus, taskId, new TargetReport.CutOff(target, message));
  }

  static void childFailed(EventBus bus, String taskId, String target, String message) {
    send(bus, taskId, Result.failed(target, message));
  }

  private static void send(EventBus bus, String taskId, TargetReport report) {
    bus.send(Constants.taskAddress(taskId, Constants.CONTROL), report.toJson());
  }
}
