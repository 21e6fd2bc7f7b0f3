package io.gosync.control;

import io.gosync.protocol.Skipped;
import io.gosync.protocol.TaskReport;
import io.gosync.protocol.TaskRequest;
import io.gosync.protocol.TaskState;
import io.gosync.scan.Manifest;

import java.util.Collection;
import java.util.List;

/**
 * What a source task reports beyond its state and its targets: when it started and finished,
 * the size of the source tree once scanned and the entries the scan skipped, and why it failed on
 * the source, if it did. Renders
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
  private Skipped skipped = Skipped.NONE;

  SourceReport(TaskRequest request, String source) {
    this.request = request;
    this.source = source;
  }

  void scanned(Manifest manifest, List<String> skippedByScan) {
    files = manifest.fileCount();
    bytes = manifest.totalBytes();
    skipped = Skipped.of(skippedByScan);
  }

  /** Entries the scan could not take: every target lacks them, so each one's result is partial. */
  Skipped skipped() {
    return skipped;
  }

  void failedOnSource(String why) {
    message = why;
  }

  void finished() {
    finishedAt = System.currentTimeMillis();
  }

  /** @return the report; {@code ok} once done with every target ok or unchanged (none failed or partial) */
  TaskReport render(TaskState state, int groups, Collection<TargetState> targets) {
    boolean ok = state == TaskState.DONE && targets.stream().allMatch(t -> t.status().isOk());
    return new TaskReport(request.id(), source, request, state, message, files, bytes, groups, startedAt,
        finishedAt, ok, targets.stream().map(TargetState::line).toList());
  }
}
