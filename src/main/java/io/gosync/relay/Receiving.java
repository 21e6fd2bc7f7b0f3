package io.gosync.relay;

import io.gosync.relay.wire.Inbound;
import io.vertx.core.net.NetSocket;

/**
 * One task's stream on a receiving node: its plan, its landing, its tee once the children are connected, and
 * the parent that feeds them now. A parent that is lost may be replaced by an ancestor (a relink); the
 * landing and the children never see the change, since the body is the same bytes on every edge.
 */
final class Receiving {

  final ReceivePlan plan;
  final LandingSink sink;
  TeeWriteStream tee;
  /** The current parent's name, connection and what it brings; the inbound is null while none feeds it. */
  String parent;
  NetSocket parentSocket;
  Inbound inbound;
  /** The wait for an ancestor after the parent was lost; -1 when not waiting. */
  long adopterWait = -1;
  /** The periodic check that closes a parent gone silent, until the stream is over. */
  long silenceWatch = -1;

  Receiving(ReceivePlan plan, LandingSink sink, String parent) {
    this.plan = plan;
    this.sink = sink;
    this.parent = parent;
  }

  boolean isFed() {
    return inbound != null;
  }
}
