package io.gosync.relay;

import io.gosync.relay.wire.StreamHeader;
import io.gosync.trust.NodeIdentity;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Who may feed this node a task's stream: it must be addressed to this node, for a task it was told to expect
 * and receives nothing of yet, and come from one of the parents it was told of, as the peer's certificate names
 * it. An ancestor may take over a stream this node receives already (a relink) on the same terms. Each method
 * gives the reason for a refusal, or null; a refusal leaves the plan for the real stream.
 */
final class Admission {

  private final String self;

  Admission(String self) {
    this.self = self;
  }

  /** The node name the peer's certificate proves, or a note why there is none (a refusal then names it). */
  static String peerName(NetSocket socket) {
    try {
      return NodeIdentity.peerName(socket.sslSession());
    } catch (SSLPeerUnverifiedException e) {
      return "(no node: " + e.getMessage() + ")";
    }
  }

  /** A first stream: {@code plan} is null unless this node was prepared for it. */
  String refusal(StreamHeader header, String peer, ReceivePlan plan, boolean receiving) {
    if (!header.node().name().equals(self)) {
      return misaddressed(header);
    }
    if (plan == null || receiving) {
      return "this node was not prepared for it";
    }
    return parentRefusal(header, peer, plan);
  }

  /** An ancestor taking over; the body starts only once this node said where to go on. */
  String relinkRefusal(StreamHeader header, String peer, Receiving current, Buffer leftover) {
    if (!header.node().name().equals(self)) {
      return misaddressed(header);
    }
    if (current.tee == null) {
      return "this node is still connecting to its children";
    }
    if (leftover.length() > 0) {
      return "it sent " + leftover.length() + " bytes of body before this node said where to go on";
    }
    return parentRefusal(header, peer, current.plan);
  }

  private static String parentRefusal(StreamHeader header, String peer, ReceivePlan plan) {
    if (!peer.equals(header.parent())) {
      return "its certificate names " + peer + ", but its header names " + header.parent() + " as the parent";
    }
    if (!plan.parents().contains(peer)) {
      return peer + " is not among the nodes this node may be fed by " + plan.parents();
    }
    return null;
  }

  private static String misaddressed(StreamHeader header) {
    return "it is addressed to " + header.node().name() + ", not to this node";
  }
}
