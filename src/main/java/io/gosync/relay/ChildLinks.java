package io.gosync.relay;

import io.gosync.relay.wire.StreamHeader;
import io.gosync.relay.wire.TreeNode;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.net.NetClient;

import java.util.ArrayList;
import java.util.List;

/**
 * Opens a relay node's connections to its children and sends each its own header. A child that
 * cannot be reached is reported failed and its children are adopted: this node connects to
 * them directly, so one dead host does not cut off its subtree.
 */
final class ChildLinks {

  private final NetClient client;
  private final EventBus bus;
  private final String self;
  private final StallLadder ladder;

  ChildLinks(NetClient client, EventBus bus, String self, StallLadder ladder) {
    this.client = client;
    this.bus = bus;
    this.self = self;
    this.ladder = ladder;
  }

  /** Never fails: unreachable children are reported and left out of the result. */
  Future<List<TeeWriteStream.Branch>> connect(StreamHeader header, List<TreeNode> children) {
    List<Future<List<TeeWriteStream.Branch>>> links = new ArrayList<>();
    for (TreeNode child : children) {
      links.add(connect(header, child));
    }
    return Future.join(links).map(done -> {
      List<TeeWriteStream.Branch> branches = new ArrayList<>();
      for (Future<List<TeeWriteStream.Branch>> link : links) {
        branches.addAll(link.result());
      }
      return branches;
    });
  }

  private Future<List<TeeWriteStream.Branch>> connect(StreamHeader header, TreeNode child) {
    return client.connect(child.port(), child.host())
        .compose(socket -> socket.write(header.forChild(child).encode()).map(socket))
        // the higher the child's subtree, the longer it may stay full: its own stalled child goes first
        .map(socket -> List.of(new TeeWriteStream.Branch(child.name(), socket, ladder.branchMs(child.height()))))
        .recover(err -> {
          Reports.childFailed(bus, header.taskId(), child.name(),
              "unreachable from " + self + " at " + child.host() + ":" + child.port() + ": " + err.getMessage());
          return connect(header, child.children());
        });
  }
}
