package io.gosync.control;

import io.gosync.protocol.Skipped;
import io.gosync.protocol.TaskReport;
import io.gosync.protocol.TaskRequest;
import io.gosync.protocol.TaskState;
import io.gosync.scan.ScanMessages.SourceScan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;

/**
 * What a source task reports beyond its state and its targets: when it started and finished,
 * the size of the source tree once scanned, what the scan read to hash and the entries it skipped, and why it failed on
 * the source, if it did. Renders
 * the whole {@link TaskReport}. Lives on the control event loop.
 */
final class SourceReport {

  private static final Logger LOG = LoggerFactory.getLogger(SourceReport.class);

  private final TaskRequest request;
  private final String source;
  private final long startedAt = System.currentTimeMillis();
  private Long finishedAt;
  private Long files;
  private Long bytes;
  private Long hashedBytes;
  private String message;
  private Skipped skipped = Skipped.NONE;

  SourceReport(TaskRequest request, String source) {
    this.request = request;
    this.source = source;
  }

  /** The scan's figures; the bytes it read to hash files are logged too (0 when the hash cache knew them all). */
  void scanned(SourceScan scan) {
    files = scan.manifest().fileCount();
    bytes = scan.manifest().totalBytes();
    hashedBytes = scan.hashedBytes();
    skipped = Skipped.of(scan.skipped());
    LOG.info("task {}: scanned {} entries, {} files of {} bytes; read {} bytes to hash", request.id(),
        scan.manifest().size(), files, bytes, hashedBytes);
  }

  /** Entries the scan could not take: every target lacks them, so each one's result is partial. */
  /** The source node's name: its own tee reports too (see {@link StragglerMoves#sourceProgress}). */
  String source() {
    return source;
  }

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
    return new TaskReport(request.id(), source, request, state, message, files, bytes, hashedBytes, groups,
        startedAt, finishedAt, ok, targets.stream().map(TargetState::line).toList());
  }
}
