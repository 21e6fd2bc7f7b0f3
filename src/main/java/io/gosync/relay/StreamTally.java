package io.gosync.relay;

import io.gosync.fs.Names;
import io.gosync.protocol.Rebuilt;
import io.gosync.protocol.Skipped;
import io.gosync.relay.wire.DeltaBlocks;
import io.gosync.scan.Basis;
import io.gosync.scan.Entry;
import io.vertx.core.VertxException;

import java.util.BitSet;

/**
 * A received stream's bookkeeping against its need-list: which files have come (to land) or were
 * skipped by the source, the bytes that came, the files landed, and the end frame's count; the
 * stream is whole only when the files that came or were skipped, and that count, agree with the
 * need-list. Used on the landing sink's context.
 */
final class StreamTally {

  record Summary(long files, long bytes, Rebuilt rebuilt, Skipped skipped) {
  }

  private final ReceivePlan plan;
  private final RelayMetrics metrics;
  /** Files whose frame came, or whose skip did. */
  private final BitSet accounted = new BitSet();
  private Skipped skipped = Skipped.NONE;
  /** Files that came as deltas but whose old version changed (see {@link #refetch}). */
  private Skipped refetch = Skipped.NONE;
  private Rebuilt rebuilt = Rebuilt.NONE;
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

  /**
   * Why this file frame is refused, or null: its file must be asked for and as in the manifest, and a delta must
   * send the blocks this node lacks of a file it builds from its old version.
   */
  String refusal(int index, long size, String hash, DeltaBlocks delta) {
    String refusal = refusal(index);
    if (refusal != null) {
      return refusal;
    }
    Entry entry = plan.manifest().entry(index);
    if (size != entry.size() || !hash.equals(entry.hash())) {
      return "file " + Names.display(entry.path()) + " does not match the manifest";
    }
    Basis basis = plan.bases().byIndex().get(index);
    if (delta != null && (basis == null || !basis.missing().equals(delta.asBitSet()))) {
      return "file " + Names.display(entry.path()) + " comes as blocks " + delta + ", not the ones this node lacks";
    }
    return null;
  }

  /**
   * A large file's commit: it landed (built from its old version when it came as a delta, with this {@code basis}),
   * or, when {@code unbuilt} says why, it could not be built from its old version here, and is fetched again whole.
   */
  void committed(Entry file, Basis basis, String unbuilt) {
    if (unbuilt == null) {
      landed(file);
      rebuilt = basis == null ? rebuilt : rebuilt.and(file.size() - basis.keptBytes(), basis.keptBytes());
    } else {
      refetch = refetch.and(file.path() + ": " + unbuilt);
    }
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

  /**
   * Why the ended stream leaves this node without all its files, or null: it was not whole (a bad stream), or files
   * came that could not be built from their old version (cut off, so that this node is fed them again, whole).
   */
  VertxException trouble() {
    if (endCount != accounted.cardinality() || !plan.need().sameAs(accounted)) {
      return new VertxException("bad stream: it ended with " + accounted.cardinality() + " of " + plan.need().size()
          + " files sent or skipped", true);
    }
    return refetch.isEmpty() ? null : new StreamCutOff(refetch.count() + " files could not be built from their old"
        + " version here (" + String.join(", ", refetch.paths()) + "); they are fetched again whole");
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

  Rebuilt rebuilt() {
    return rebuilt;
  }

  Summary summary() {
    return new Summary(files, bytes, rebuilt, skipped);
  }
}
