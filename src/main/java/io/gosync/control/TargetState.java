package io.gosync.control;

import io.gosync.liveness.Silence;
import io.gosync.protocol.Deltas;
import io.gosync.protocol.NeedList;
import io.gosync.protocol.Partials;
import io.gosync.protocol.PrepareReply;
import io.gosync.protocol.Rebuilt;
import io.gosync.protocol.Skipped;
import io.gosync.protocol.TargetLine;
import io.gosync.protocol.TargetReport.Result;
import io.gosync.protocol.TargetStatus;

import java.util.List;

/**
 * What the source knows of one target of a task, and the only code that changes it: pending →
 * preparing → prepared → transferring → ok | unchanged | partial | failed. Every transition returns
 * whether it happened; none leaves a final status. Owned by its task on the control event loop.
 */
final class TargetState {

  private final String requested;
  /** The node's name; null for a target that resolved to no node. */
  private final String node;
  private TargetStatus status = TargetStatus.PENDING;
  private NeedList need = NeedList.NONE;
  private Partials partials = Partials.NONE;
  private NeedList bases = NeedList.NONE;
  private Deltas deltas = Deltas.NONE;
  private long needFiles;
  private long needBytes;
  private long files;
  private long bytes;
  private Rebuilt rebuilt = Rebuilt.NONE;
  private long created;
  private long deleted;
  private long fixed;
  private long conflicts;
  private List<String> conflictPaths = List.of();
  private Skipped skipped = Skipped.NONE;
  /** Where the target's data port listens, as its own prepare reply said. */
  private String dataHost;
  private int dataPort;
  private String message;
  /** The node whose relay stream fed this target (the source, or a relay). */
  private String via;
  /** Any word from the target counts; the source gives up on it after the target timeout. */
  private final Silence silence = Silence.fromNow();

  private TargetState(String requested, String node) {
    this.requested = requested;
    this.node = node;
  }

  /** A target that resolved to exactly one live node, reached by its name. */
  static TargetState resolved(String requested, String node) {
    return new TargetState(requested, node);
  }

  /** A target no node answers to (or several do): failed from the start, with the reason. */
  static TargetState unresolved(String requested, String reason) {
    TargetState target = new TargetState(requested, null);
    target.status = TargetStatus.FAILED;
    target.message = reason;
    return target;
  }

  /** The node's name, or the target as requested when it did not resolve. */
  String name() {
    return node != null ? node : requested;
  }

  /** The target as the task names it: a node name, a host or host:dataPort. */
  String requested() {
    return requested;
  }

  /** The node's name, or null when it did not resolve. */
  String node() {
    return node;
  }

  /** The target as a member of a relay tree; only once it is prepared. */
  RelayPlan.Member member() {
    return new RelayPlan.Member(node, dataHost, dataPort);
  }

  TargetStatus status() {
    return status;
  }

  boolean isFinal() {
    return status.isFinal();
  }

  NeedList need() {
    return need;
  }

  /** The needed files whose start the target holds; see {@link Partials}. */
  Partials partials() {
    return partials;
  }

  /** The needed large files the target holds in another version, of which it may be offered block lists. */
  NeedList bases() {
    return bases;
  }

  /** The needed files the target builds from their old version, and the blocks it lacks; see {@link Deltas}. */
  Deltas deltas() {
    return deltas;
  }

  /** The target builds these files from old versions it holds: {@code keptBytes} of theirs need not come. */
  void deltas(Deltas built, long keptBytes) {
    deltas = built;
    needBytes -= keptBytes;
  }

  boolean runsOn(String nodeName) {
    return node != null && node.equals(nodeName);
  }

  /** Something was heard from the target. */
  void heard() {
    silence.heard();
  }

  /** True when the source waits for the target's word (it was asked something) and heard none for that long. */
  boolean silentFor(long limitMs) {
    return status != TargetStatus.PENDING && !isFinal() && silence.longerThan(limitMs);
  }

  boolean preparing() {
    return move(TargetStatus.PREPARING);
  }

  /** Moved out of its relay tree, it waits to be fed apart; it is not asked anything meanwhile. */
  boolean pending() {
    return move(TargetStatus.PENDING);
  }

  boolean prepared(PrepareReply reply) {
    if (isFinal()) {
      return false;
    }
    need = reply.need();
    partials = reply.partials();
    bases = reply.bases();
    deltas = Deltas.NONE;
    needFiles = reply.needFiles();
    needBytes = reply.needBytes();
    created = reply.created();
    deleted = reply.deleted();
    fixed = reply.fixed();
    conflicts = reply.conflicts();
    conflictPaths = reply.conflictPaths();
    dataHost = reply.dataHost();
    dataPort = reply.dataPort();
    return move(TargetStatus.PREPARED);
  }

  boolean transferring() {
    return move(TargetStatus.TRANSFERRING);
  }

  /** Files and bytes landed so far; not a change of status. */
  boolean progress(long landedFiles, long landedBytes) {
    if (isFinal()) {
      return false;
    }
    files = landedFiles;
    bytes = landedBytes;
    return true;
  }

  /**
   * The target's result: ok, unchanged or partial with what landed, or failed with its message. Files the
   * source's scan skipped ({@code atSource}) make any result but a failure partial: the target lacks them too.
   */
  boolean finished(Result result, Skipped atSource) {
    if (isFinal()) {
      return false;
    }
    if (result.status() == TargetStatus.FAILED) {
      return failed(result.message() == null ? "failed" : result.message());
    }
    skipped = atSource.and(result.skipped());
    files = result.files();
    bytes = result.bytes();
    rebuilt = result.rebuilt();
    fixed += result.fixedDirectories();
    via = result.via();
    if (result.message() != null) {
      message = result.message();
    }
    return move(skipped.isEmpty() ? result.status() : TargetStatus.PARTIAL);
  }

  boolean failed(String reason) {
    if (isFinal()) {
      return false;
    }
    if (reason != null) {
      message = reason;
    }
    return move(TargetStatus.FAILED);
  }

  private boolean move(TargetStatus next) {
    if (isFinal()) {
      return false;
    }
    status = next;
    return true;
  }

  TargetLine line() {
    return new TargetLine(requested, node, status, files, bytes, rebuilt, needFiles, needBytes,
        created, deleted, fixed, conflicts, via, conflictPaths, skipped, message);
  }
}
