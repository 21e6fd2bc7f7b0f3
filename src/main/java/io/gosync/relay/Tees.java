package io.gosync.relay;

import io.gosync.relay.wire.StreamHeader;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.net.NetSocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Builds the tee of a relay node (source or receiver) and wires its children's connections to it. */
final class Tees {

  private static final Logger LOG = LoggerFactory.getLogger(Tees.class);

  private Tees() {
  }

  /**
   * @param relinks takes over the children of a child that is dropped; the tee keeps a replay window for it
   *     when a child has children
   */
  static TeeWriteStream over(Vertx vertx, EventBus bus, String taskId, List<TeeWriteStream.Branch> branches,
                             long stallTimeoutMs, RelayMetrics metrics, Relinks relinks) {
    boolean grandchildren = branches.stream().anyMatch(b -> b.child != null && !b.child.children().isEmpty());
    TeeWriteStream tee = new TeeWriteStream(vertx, branches, stallTimeoutMs, metrics,
        grandchildren ? relinks.newWindow() : null, (branch, dropped) -> {
          LOG.warn("task {}: {} relay branch {}: {}", taskId, dropped.failed() ? "dropping" : "moving", branch.name,
              dropped.reason());
          // Not fed, this node lost its own stream or stops: its word is not the child's fate; a moved child, or one
          // an ancestor took over (its write may fail as it closes), lives on.
          if (relinks.isFed() && dropped.failed() && !branch.takenOver) {
            Reports.childFailed(bus, taskId, branch.name, "relay to " + branch.name + " broke: " + dropped.reason());
          }
          if (branch.stream instanceof NetSocket socket) {
            socket.close();
          }
          if (!branch.takenOver) {
            relinks.orphans(branch);
          }
        });
    relinks.feed(tee);
    branches.forEach(branch -> wire(tee, branch, relinks));
    return tee;
  }

  /**
   * A child's connection: its failure drops its branch and reports the child failed. A child that closes it is
   * taken out without a report: an ancestor took it over (it said so first, see StreamHeader.TAKEN_OVER), or it
   * died, which the cluster reports (its member leaves) or its silence does, and then its children are taken over.
   */
  static void wire(TeeWriteStream tee, TeeWriteStream.Branch branch, Relinks relinks) {
    if (branch.stream instanceof NetSocket socket) {
      socket.closeHandler(v -> {
        if (tee.remove(branch)) {
          LOG.info("task {}: {} closed its relay connection{}", relinks.taskId(), branch.name,
              branch.takenOver ? ", taken over by an ancestor" : "");
          if (!branch.takenOver) {
            relinks.orphans(branch);
          }
        }
      });
      socket.exceptionHandler(err -> tee.drop(branch.name, TeeWriteStream.reason(err)));
      // A child sends back only StreamHeader.TAKEN_OVER, before it closes the connection.
      socket.handler(word -> branch.takenOver |= word.length() > 0 && word.getByte(0) == StreamHeader.TAKEN_OVER);
    }
  }
}
