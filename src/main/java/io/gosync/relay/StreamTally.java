package io.gosync.relay;

import io.gosync.scan.Entry;

import java.util.BitSet;

/**
 * A received stream's bookkeeping against its need-list: which files have landed, the bytes that
 * came, and the end frame's count; the stream is whole only when both agree with the need-list.
 * Used on the landing sink's context.
 */
final class StreamTally {

  record Summary(long files, long bytes) {
  }

  private final ReceivePlan plan;
  private final RelayMetrics metrics;
  private final BitSet received = new BitSet();
  /** The end frame's count of files, once it has come. */
  private long endCount = -1;
  private long files;
  private long bytes;

  StreamTally(ReceivePlan plan, RelayMetrics metrics) {
    this.plan = plan;
    this.metrics = metrics;
  }

  /** Why a file frame with this index is refused, or null when the need-list asks for it and it has not come. */
  String refusal(int index) {
    if (index < 0 || index >= plan.manifest().size() || !plan.need().contains(index) || received.get(index)) {
      return "file index " + index + " was not asked for";
    }
    return null;
  }

  void bytes(long count) {
    bytes += count;
  }

  void landed(int index, Entry file) {
    files++;
    received.set(index);
    metrics.landed(file.size());
  }

  void ended(long count) {
    endCount = count;
  }

  boolean hasEnded() {
    return endCount >= 0;
  }

  /** Why the ended stream is not whole, or null when it is. */
  String shortfall() {
    if (endCount != received.cardinality() || !plan.need().sameAs(received)) {
      return "it ended with " + received.cardinality() + " of " + plan.need().size() + " files";
    }
    return null;
  }

  /** How far the stream got, for a log line. */
  String progress() {
    return received.cardinality() + " of " + plan.need().size() + " files landed";
  }

  long files() {
    return files;
  }

  long bytes() {
    return bytes;
  }

  Summary summary() {
    return new Summary(files, bytes);
  }
}
