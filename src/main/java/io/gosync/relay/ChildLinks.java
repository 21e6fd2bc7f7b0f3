package io.gosync.relay;

import io.gosync.relay.wire.StreamHeader;
import io.gosync.relay.wire.TreeNode;
import io.gosync.trust.NodeIdentity;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Opens a relay node's connections to its children and sends each its own header, once the peer's
 * certificate has proved it is that child. A child that cannot be reached, or where another node
 * answers, is reported failed and its children are adopted: this node connects to them directly,
 * so one dead host (or a redirected address) does not cut off its subtree.
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
        .compose(socket -> provenAs(child, socket))
        .compose(socket -> socket.write(header.forChild(child).encode()).map(socket))
        // the higher the child's subtree, the longer it may stay full: its own stalled child goes first
        .map(socket -> List.of(new TeeWriteStream.Branch(child.name(), socket, ladder.branchMs(child.height()))))
        .recover(err -> {
          Reports.childFailed(bus, header.taskId(), child.name(),
              "unreachable from " + self + " at " + child.host() + ":" + child.port() + ": " + err.getMessage());
          return connect(header, child.children());
        });
  }

  /**
   * The socket, if the peer's certificate names the planned child; else closed before a byte of ours is
   * written, and a failure: whoever listens there is not the child, whatever the plan said.
   */
  private static Future<NetSocket> provenAs(TreeNode child, NetSocket socket) {
    String peer;
    try {
      peer = NodeIdentity.peerName(socket.sslSession());
    } catch (SSLPeerUnverifiedException e) {
      socket.close();
      return Future.failedFuture("it proved no node name: " + e.getMessage());
    }
    if (!peer.equals(child.name())) {
      socket.close();
      return Future.failedFuture("it answered as " + peer + ", not " + child.name() + " (by its certificate)");
    }
    return Future.succeededFuture(socket);
  }
}
