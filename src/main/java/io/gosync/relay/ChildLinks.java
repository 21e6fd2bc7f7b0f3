package io.gosync.relay;

import io.gosync.relay.wire.StreamHeader;
import io.gosync.relay.wire.TreeNode;
import io.gosync.trust.NodeIdentity;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
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
 * so one dead host (or a redirected address) does not cut off its subtree. The same connection, with a
 * relink header, takes over mid-stream a node whose parent was lost ({@link #adopt}).
 */
final class ChildLinks {

  /** A node taken over mid-stream, and how many body bytes it had: the stream goes on from there. */
  record Adopted(TreeNode node, NetSocket socket, long offset) {
  }

  private final Vertx vertx;
  private final NetClient client;
  private final EventBus bus;
  private final String self;
  private final StallLadder ladder;
  private final long replyTimeoutMs;

  ChildLinks(Vertx vertx, NetClient client, EventBus bus, String self, StallLadder ladder, long replyTimeoutMs) {
    this.vertx = vertx;
    this.client = client;
    this.bus = bus;
    this.self = self;
    this.ladder = ladder;
    this.replyTimeoutMs = replyTimeoutMs;
  }

  /** A branch of the tee to this child: the higher its subtree, the longer it may stay full. */
  TeeWriteStream.Branch branch(TreeNode child, NetSocket socket) {
    // its own stalled child goes first
    return new TeeWriteStream.Branch(child.name(), socket, ladder.branchMs(child.height()), child);
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
        .map(socket -> List.of(branch(child, socket)))
        .recover(err -> {
          reportUnreachable(header, child, err);
          return connect(header, child.children());
        });
  }

  /**
   * Takes over a node below whose parent was lost: connects as to a child, sends a relink header and reads
   * how far the node got. A node that cannot be reached is reported and its children taken over instead.
   * Never fails.
   */
  Future<List<Adopted>> adopt(StreamHeader header, TreeNode node) {
    return client.connect(node.port(), node.host())
        .compose(socket -> provenAs(node, socket))
        .compose(socket -> socket.write(header.forAdopted(node).encode()).compose(v -> offset(socket))
            .map(offset -> List.of(new Adopted(node, socket, offset)))
            .onFailure(err -> socket.close()))
        .recover(err -> {
          reportUnreachable(header, node, err);
          List<Future<List<Adopted>>> below = node.children().stream().map(child -> adopt(header, child)).toList();
          return Future.join(below).map(done -> below.stream().flatMap(f -> f.result().stream()).toList());
        });
  }

  /** The relinked node's answer: the body bytes it has, within the connect timeout. */
  private Future<Long> offset(NetSocket socket) {
    Promise<Long> answer = Promise.promise();
    Buffer reply = Buffer.buffer(StreamHeader.RELINK_REPLY_BYTES);
    long timer = vertx.setTimer(replyTimeoutMs, id -> answer.tryFail("no answer to the relink in " + replyTimeoutMs + " ms"));
    socket.handler(data -> {
      reply.appendBuffer(data);
      if (reply.length() > StreamHeader.RELINK_REPLY_BYTES) {
        answer.tryFail("it answered the relink with " + reply.length() + " bytes");
      } else if (reply.length() == StreamHeader.RELINK_REPLY_BYTES) {
        answer.tryComplete(reply.getLong(0));
      }
    });
    socket.closeHandler(v -> answer.tryFail("it closed the connection before it answered the relink"));
    return answer.future().onComplete(done -> vertx.cancelTimer(timer));
  }

  private void reportUnreachable(StreamHeader header, TreeNode node, Throwable err) {
    Reports.childFailed(bus, header.taskId(), node.name(),
        "unreachable from " + self + " at " + node.host() + ":" + node.port() + ": " + err.getMessage());
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
