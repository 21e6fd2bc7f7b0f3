package io.gosync.relay;

import io.gosync.liveness.Silence;
import io.gosync.relay.wire.TreeNode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The heart of the relay: one stream in, the same bytes out to the local disk and to every
 * child. It reports itself full while any branch is full, so a pipe reads from the parent only
 * as fast as the slowest branch accepts; it drains once none is full. A branch that fails, or
 * stays full longer than the stall timeout, is dropped and reported, and the others go on.
 * Writes never fail: one bad branch must not stop the rest.
 */
final class TeeWriteStream extends QuietSink {

  /** One destination of the tee, named for reports. */
  static final class Branch {
    final String name;
    final WriteStream<Buffer> stream;
    /** 0: the tee's stall timeout. */
    final long stallTimeoutMs;
    /** The child's subtree, whose nodes this node takes over if the child is dropped; null for the local disk. */
    final TreeNode child;
    /** Runs while the branch is full; a drain stops it. */
    final Silence full = Silence.stopped();
    /** How long in all it was full, so held the tee back: what tells a straggler (see {@code Stragglers}). */
    private long heldNanos;
    private long fullSince = -1;
    Future<Void> lastWrite = Future.succeededFuture();
    /** The child said an ancestor took it over: its children are not this node's to take over. */
    boolean takenOver;

    Branch(String name, WriteStream<Buffer> stream) {
      this(name, stream, 0, null);
    }

    Branch(String name, WriteStream<Buffer> stream, long stallTimeoutMs, TreeNode child) {
      this.name = name;
      this.stream = stream;
      this.stallTimeoutMs = stallTimeoutMs;
      this.child = child;
    }

    private void filled() {
      full.startIfStopped();
      if (fullSince < 0) {
        fullSince = System.nanoTime();
      }
    }

    private void drained() {
      full.stop();
      if (fullSince >= 0) {
        heldNanos += System.nanoTime() - fullSince;
        fullSince = -1;
      }
    }

    /** Milliseconds this branch was full, so far. */
    long heldMs() {
      return (heldNanos + (fullSince < 0 ? 0 : System.nanoTime() - fullSince)) / 1_000_000;
    }
  }

  private final Vertx vertx;
  private final List<Branch> branches;
  private final BiConsumer<Branch, Dropped> onDropped;
  /** What went by lately, for a node below that must be fed again; null when no child has children. */
  private final ReplayWindow window;
  private final long stallTimeoutMs;
  private final RelayMetrics metrics;
  private final long stallTimer;
  private Handler<Void> drainHandler;
  /** Nodes being taken over (see Relinks): the tee holds the stream meanwhile, so it cannot outrun its window. */
  private int adopting;
  private boolean ended;
  private long written;

  /**
   * @param onDropped called with a dropped branch and the reason
   * @param window the window to keep, or null
   */
  TeeWriteStream(Vertx vertx, List<Branch> branches, long stallTimeoutMs, RelayMetrics metrics,
                 ReplayWindow window, BiConsumer<Branch, Dropped> onDropped) {
    this.vertx = vertx;
    this.branches = new ArrayList<>();
    this.onDropped = onDropped;
    this.stallTimeoutMs = stallTimeoutMs;
    this.metrics = metrics;
    this.window = window;
    this.stallTimer = vertx.setPeriodic(Math.max(100, stallTimeoutMs / 4), id -> dropStalled());
    branches.forEach(this::add);
  }

  /** A branch from here on: one at the start, or a node below taken over mid-stream, fed up to now first. */
  void add(Branch branch) {
    branches.add(branch);
    // The tee owns each branch's drain handler: a drain is progress, and may free the tee.
    branch.stream.drainHandler(v -> {
      branch.drained();
      checkDrained();
    });
  }

  /** The window of what went by, or null if this tee keeps none (or no longer, once it ended). */
  ReplayWindow window() {
    return window == null || window.isClosed() ? null : window;
  }

  /** How long each branch, by name, has held the tee back so far (ms). */
  Map<String, Long> held() {
    Map<String, Long> held = new LinkedHashMap<>();
    branches.forEach(branch -> held.put(branch.name, branch.heldMs()));
    return held;
  }

  /**
   * Takes a child out to be fed apart, a straggler (see {@code Stragglers}): dropped as any, its children taken
   * over, but not reported failed. @return whether it was a branch
   */
  boolean move(String name, String why) {
    boolean moved = false;
    for (Branch branch : List.copyOf(branches)) {
      if (branch.name.equals(name) && branch.child != null && remove(branch)) {
        onDropped.accept(branch, new Dropped(why, false));
        moved = true;
      }
    }
    return moved;
  }

  boolean isEnded() {
    return ended;
  }

  /** Why a branch went, and whether that is its node's failure to report. */
  record Dropped(String reason, boolean failed) {
  }

  /** Drops a branch from outside, e.g. when its connection closed. */
  void drop(String name, String reason) {
    for (Branch branch : List.copyOf(branches)) {
      if (branch.name.equals(name)) {
        drop(branch, reason);
      }
    }
  }

  /** A failure as words for a report; some network errors carry no message. */
  static String reason(Throwable err) {
    return err.getMessage() != null ? err.getMessage() : err.toString();
  }

  long written() {
    return written;
  }

  /** No branch left, and none being taken over: a source then stops early. */
  boolean isEmpty() {
    return branches.isEmpty() && adopting == 0;
  }

  /**
   * A node below is being taken over: the tee is full until it is. Without the hold, a source whose only child
   * died read on at disk speed into an empty tee, and stopped early, before the grandchild was taken over.
   */
  void adoptionStarted() {
    adopting++;
  }

  void adoptionOver() {
    adopting--;
    checkDrained();
  }

  /**
   * Never fails; completes once every branch has written the bytes or failed, so that their buffer may be
   * released then (see {@link SourceFile}).
   */
  @Override
  public Future<Void> write(Buffer data) {
    written += data.length();
    if (window != null) {
      window.append(data);
    }
    List<Future<Void>> writes = new ArrayList<>(branches.size());
    for (Branch branch : List.copyOf(branches)) {
      branch.lastWrite = branch.stream.write(data);
      branch.lastWrite.onFailure(err -> drop(branch, reason(err)));
      writes.add(branch.lastWrite);
      metrics.forwarded(branch.name, data.length());
      if (branch.stream.writeQueueFull()) {
        branch.filled();
      }
    }
    return Future.join(writes).<Void>mapEmpty().otherwiseEmpty();
  }

  @Override
  public boolean writeQueueFull() {
    if (adopting > 0 && !ended) {
      return true;
    }
    for (Branch branch : branches) {
      if (branch.stream.writeQueueFull()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    checkDrained();
    return this;
  }

  private void checkDrained() {
    Handler<Void> handler = drainHandler;
    if (handler != null && !writeQueueFull()) {
      drainHandler = null;
      handler.handle(null);
    }
  }

  private void drop(Branch branch, String reason) {
    if (remove(branch)) {
      onDropped.accept(branch, new Dropped(reason, true));
    }
  }

  /** Takes a branch out without a word, as when its child closed the connection; false if it was out already. */
  boolean remove(Branch branch) {
    if (ended || !branches.remove(branch)) {
      return false;
    }
    checkDrained();
    return true;
  }

  /** A branch is stalled when it has stayed full, without a single drain, for its stall timeout. */
  private void dropStalled() {
    for (Branch branch : List.copyOf(branches)) {
      long limit = branch.stallTimeoutMs > 0 ? branch.stallTimeoutMs : stallTimeoutMs;
      if (!branch.stream.writeQueueFull()) {
        branch.drained();
      } else if (branch.full.longerThan(limit)) {
        drop(branch, "stalled: accepted nothing for " + limit + " ms");
      }
    }
  }

  @Override
  public Future<Void> end() {
    ended = true;
    vertx.cancelTimer(stallTimer);
    if (window != null) {
      window.close();
    }
    // End each branch only once its last write is on the wire: ending a NetSocket closes it,
    // and we have seen that drop writes still queued behind a full socket.
    List<Future<Void>> ends = new ArrayList<>();
    for (Branch branch : List.copyOf(branches)) {
      ends.add(branch.lastWrite.transform(written -> branch.stream.end()).recover(err -> Future.succeededFuture()));
    }
    return Future.join(ends).mapEmpty();
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    branches.forEach(branch -> branch.stream.setWriteQueueMaxSize(maxSize));
    return this;
  }
}
