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

  static TeeWriteStream over(Vertx vertx, EventBus bus, String taskId, List<TeeWriteStream.Branch> branches,
                             long stallTimeoutMs, RelayMetrics metrics) {
    TeeWriteStream tee = new TeeWriteStream(vertx, branches, stallTimeoutMs, metrics, (child, reason) -> {
      LOG.warn("task {}: dropping relay branch {}: {}", taskId, child, reason);
      Reports.childFailed(bus, taskId, child, "relay to " + child + " broke: " + reason);
      branches.stream().filter(b -> b.name.equals(child) && b.stream instanceof NetSocket)
          .forEach(b -> ((NetSocket) b.stream).close());
    });
    for (TeeWriteStream.Branch branch : branches) {
      if (branch.stream instanceof NetSocket socket) {
        socket.closeHandler(v -> tee.drop(branch.name, "the connection closed"));
        socket.exceptionHandler(err -> tee.drop(branch.name, TeeWriteStream.reason(err)));
        // A child sends nothing back; anything it does send is ignored.
        socket.handler(ignored -> { });
      }
    }
    return tee;
  }
}
