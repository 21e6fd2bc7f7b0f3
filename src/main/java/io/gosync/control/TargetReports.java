package io.gosync.control;

import io.gosync.protocol.TargetReport;
import io.gosync.protocol.TargetStatus;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.function.Consumer;

/**
 * What a task's source makes of the reports of its targets and relays (gosync.task.&lt;id&gt;.control): any is a
 * sign of life of its target; progress moves its line and feeds the straggler watch; a relink is an event; a
 * result ends the target, and so does a cut-off stream, unless the target is fed again ({@link Refeeds}). Lives
 * on the control event loop.
 */
final class TargetReports {

  private static final Logger LOG = LoggerFactory.getLogger(TargetReports.class);

  private final String taskId;
  private final Map<String, TargetState> targets;
  private final TaskEvents events;
  private final StragglerMoves stragglers;
  private final Refeeds refeeds;
  private final SourceReport sourceReport;
  private final Consumer<TargetState> changed;

  /** @param changed hears of each change of a target's status */
  TargetReports(String taskId, Map<String, TargetState> targets, TaskEvents events, StragglerMoves stragglers,
      Refeeds refeeds, SourceReport sourceReport, Consumer<TargetState> changed) {
    this.taskId = taskId;
    this.targets = targets;
    this.events = events;
    this.stragglers = stragglers;
    this.refeeds = refeeds;
    this.sourceReport = sourceReport;
    this.changed = changed;
  }

  void heard(JsonObject body) {
    TargetReport word;
    try {
      word = TargetReport.fromJson(body);
    } catch (IllegalArgumentException e) {
      LOG.warn("task {}: unreadable report from a target: {}", taskId, e.getMessage());
      return;
    }
    if (word instanceof TargetReport.Progress progress && word.target().equals(sourceReport.source())) {
      stragglers.sourceProgress(progress.held(), System.nanoTime() / 1_000_000);
      return;
    }
    TargetState target = targets.get(word.target());
    if (target == null || target.isFinal()) {
      return;
    }
    target.heard();
    if (word instanceof TargetReport.Progress progress) {
      stragglers.progress(target, progress.held(), progress.bytes(), System.nanoTime() / 1_000_000);
      if (target.progress(progress.files(), progress.bytes())) {
        events.progress(target.line());
      }
    } else if (word instanceof TargetReport.Relinked relinked) {
      stragglers.relinked(relinked.target(), relinked.parent());
      events.relinked(relinked.target(), relinked.parent());
    } else if (word instanceof TargetReport.CutOff cut) {
      ended(target, TargetReport.Result.failed(cut.target(), cut.message()), true);
    } else if (word instanceof TargetReport.Result result) {
      ended(target, result, false);
    }
  }

  /** A target's stream or part is over: fed again if it may be ({@link Refeeds}), else its result stands. */
  private void ended(TargetState target, TargetReport.Result result, boolean cut) {
    boolean again = result.status() == TargetStatus.FAILED && refeeds.ended(target, cut);
    if (!again && target.finished(result, sourceReport.skipped())) {
      changed.accept(target);
    }
  }
}
