package io.gosync.control;

import io.gosync.protocol.TargetStatus;
import io.gosync.protocol.TaskReport;
import io.gosync.protocol.TaskRequest;
import io.gosync.protocol.TaskState;
import io.gosync.scan.Manifest;

import java.util.Collection;

/**
 * What a source task reports beyond its state and its targets: when it started and finished,
 * the size of the source tree once scanned, and why it failed on the source, if it did. Renders
 * the whole {@link TaskReport}. Lives on the control event loop.
 */
final class SourceReport {

  private final TaskRequest request;
  private final String source;
  private final long startedAt = System.currentTimeMillis();
  private Long finishedAt;
  private Long files;
  private Long bytes;
  private String message;

  SourceReport(TaskRequest request, String source) {
    this.request = request;
    this.source = source;
  }

  void scanned(Manifest manifest) {
    files = manifest.fileCount();
    bytes = manifest.totalBytes();
  }

  void failedOnSource(String why) {
    message = why;
  }

  void finished() {
    finishedAt = System.currentTimeMillis();
  }

  /** @return the report; {@code ok} once done with no failed target */
  TaskReport render(TaskState state, int groups, Collection<TargetState> targets) {
    boolean ok = state == TaskState.DONE && targets.stream().noneMatch(t -> t.status() == TargetStatus.FAILED);
    return new TaskReport(request.id(), source, request, state, message, files, bytes, groups, startedAt,
        finishedAt, ok, targets.stream().map(TargetState::line).toList());
  }
}
