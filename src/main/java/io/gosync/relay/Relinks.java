package io.gosync.relay;

import io.gosync.budget.Budget;
import io.gosync.relay.wire.StreamHeader;
import io.gosync.relay.wire.TreeNode;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BooleanSupplier;

/**
 * What a node does when it drops a child that has children of its own (the child died, its link broke, or it
 * stalled): it takes those children over mid-stream, as Kascade's relays do. Each answers with the body bytes
 * it has; this node sends it the rest from its {@link ReplayWindow} and makes it a branch of its tee, in one
 * turn of the event loop, so that no byte is missed or doubled. A child too far behind for the window is let go:
 * its stream is cut off, and the source feeds it again. A node takes over only while it is fed itself: one whose
 * own parent is gone would take nodes over from the ancestor that is adopting them.
 */
final class Relinks {

  private static final Logger LOG = LoggerFactory.getLogger(Relinks.class);

  private final ChildLinks links;
  private final StreamHeader header;
  private final long windowBytes;
  private final Budget windows;
  private final BooleanSupplier fed;
  private TeeWriteStream tee;

  /**
   * @param header the header this node's own stream has (or, on the source, the root's)
   * @param windows the node's budget for the windows of all its streams
   * @param fed whether this node still has its stream and is not stopping
   */
  Relinks(ChildLinks links, StreamHeader header, long windowBytes, Budget windows, BooleanSupplier fed) {
    this.links = links;
    this.header = header;
    this.windowBytes = windowBytes;
    this.windows = windows;
    this.fed = fed;
  }

  /** A window of the configured size, or what is left of the node's budget for them; null when none is left. */
  ReplayWindow newWindow() {
    long bytes = Math.min(windowBytes, windows.free()) / ReplayWindow.SLICE * ReplayWindow.SLICE;
    if (bytes == 0) {
      LOG.warn("task {}: no replay window: the node's windows hold all of their {} bytes", header.taskId(),
          windows.capacity());
      return null;
    }
    windows.take(bytes);
    return new ReplayWindow(bytes, () -> windows.give(bytes));
  }

  void feed(TeeWriteStream tee) {
    this.tee = tee;
  }

  String taskId() {
    return header.taskId();
  }

  /** Whether this node still has its own stream and runs on: only then does it report or take nodes over. */
  boolean isFed() {
    return fed.getAsBoolean();
  }

  /** The branch was dropped: its children, if it has any, are taken over. */
  void orphans(TeeWriteStream.Branch dropped) {
    if (dropped.child == null || !isFed()) {
      return;
    }
    for (TreeNode orphan : dropped.child.children()) {
      tee.adoptionStarted();
      links.adopt(header, orphan).onComplete(adopted -> {
        if (adopted.succeeded()) {
          adopted.result().forEach(this::attach);
        }
        tee.adoptionOver();
      });
    }
  }

  private void attach(ChildLinks.Adopted adopted) {
    String name = adopted.node().name();
    ReplayWindow window = tee.window(); // none once the tee has ended: it takes no branch then
    if (window == null || adopted.offset() < window.start() || adopted.offset() > window.end()) {
      // Its stream is cut off: it says so itself, and the source feeds it again once the group is over.
      String kept = window == null ? "keeps none" : "keeps bytes " + window.start() + " to " + window.end();
      LOG.warn("task {}: cannot take {} over: it has {} bytes of the stream, and this node {}", header.taskId(), name,
          adopted.offset(), kept);
      adopted.socket().close();
      return;
    }
    Buffer missed = window.from(adopted.offset());
    LOG.info("task {}: took {} over at byte {}, {} bytes behind", header.taskId(), name, adopted.offset(),
        missed.length());
    if (missed.length() > 0) {
      adopted.socket().write(missed);
    }
    TeeWriteStream.Branch branch = links.branch(adopted.node(), adopted.socket());
    tee.add(branch);
    Tees.wire(tee, branch, this);
  }
}
