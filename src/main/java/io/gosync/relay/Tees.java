package io.gosync.relay;

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
        grandchildren ? relinks.newWindow() : null, (branch, reason) -> {
          LOG.warn("task {}: dropping relay branch {}: {}", taskId, branch.name, reason);
          if (relinks.isFed()) { // else this node lost its own stream, or stops: its word is not the child's fate
            Reports.childFailed(bus, taskId, branch.name, "relay to " + branch.name + " broke: " + reason);
          }
          if (branch.stream instanceof NetSocket socket) {
            socket.close();
          }
          relinks.orphans(branch);
        });
    relinks.feed(tee);
    branches.forEach(branch -> wire(tee, branch, relinks));
    return tee;
  }

  /**
   * A child's connection: its failure drops its branch and reports the child failed. A child that closes it is
   * taken out without a report: an ancestor may have taken it over, or it died, which the cluster reports (its
   * member leaves) or its silence does; its own children are taken over either way.
   */
  static void wire(TeeWriteStream tee, TeeWriteStream.Branch branch, Relinks relinks) {
    if (branch.stream instanceof NetSocket socket) {
      socket.closeHandler(v -> {
        if (tee.remove(branch)) {
          LOG.info("task {}: {} closed its relay connection", relinks.taskId(), branch.name);
          relinks.orphans(branch);
        }
      });
      socket.exceptionHandler(err -> tee.drop(branch.name, TeeWriteStream.reason(err)));
      // A child sends nothing back; anything it does send is ignored.
      socket.handler(ignored -> { });
    }
  }
}
