package io.gosync.relay;

import io.gosync.protocol.Skipped;
import io.gosync.scan.Entry;

import java.util.BitSet;

/**
 * A received stream's bookkeeping against its need-list: which files have come (to land) or were
 * skipped by the source, the bytes that came, the files landed, and the end frame's count; the
 * stream is whole only when the files that came or were skipped, and that count, agree with the
 * need-list. Used on the landing sink's context.
 */
final class StreamTally {

  record Summary(long files, long bytes, Skipped skipped) {
  }

  private final ReceivePlan plan;
  private final RelayMetrics metrics;
  /** Files whose frame came, or whose skip did. */
  private final BitSet accounted = new BitSet();
  private Skipped skipped = Skipped.NONE;
  /** The end frame's count of files, once it has come. */
  private long endCount = -1;
  private long files;
  private long bytes;

  StreamTally(ReceivePlan plan, RelayMetrics metrics) {
    this.plan = plan;
    this.metrics = metrics;
  }

  /** Why a file or skip frame with this index is refused, or null when the need-list asks for it and it has not come. */
  String refusal(int index) {
    if (index < 0 || index >= plan.manifest().size() || !plan.need().contains(index) || accounted.get(index)) {
      return "file index " + index + " was not asked for";
    }
    return null;
  }

  void started(int index) {
    accounted.set(index);
  }

  void bytes(long count) {
    bytes += count;
  }

  void landed(Entry file) {
    files++;
    metrics.landed(file.size());
  }

  /** The source gave up on this file; {@code reason} is its word, or empty. */
  void skipped(int index, Entry file, String reason) {
    accounted.set(index);
    skipped = skipped.and(file.path() + ": " + (reason.isEmpty() ? "skipped by the source" : reason));
  }

  void ended(long count) {
    endCount = count;
  }

  boolean hasEnded() {
    return endCount >= 0;
  }

  /** Why the ended stream is not whole, or null when it is. */
  String shortfall() {
    if (endCount != accounted.cardinality() || !plan.need().sameAs(accounted)) {
      return "it ended with " + accounted.cardinality() + " of " + plan.need().size() + " files sent or skipped";
    }
    return null;
  }

  /** How far the stream got, for a log line. */
  String progress() {
    return files + " landed and " + skipped.count() + " skipped of " + plan.need().size() + " files";
  }

  long files() {
    return files;
  }

  long bytes() {
    return bytes;
  }

  Summary summary() {
    return new Summary(files, bytes, skipped);
  }
}
