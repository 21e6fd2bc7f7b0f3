package io.gosync.cluster;

import io.gosync.config.NodeConfig;
import io.gosync.config.Transport;
import io.gosync.protocol.NodeInfo;
import io.gosync.trust.NodeIdentity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Whether a node map entry's data address answers with a certificate of the entry's name: what makes one of
 * two live entries of one name believable, since anyone on Hazelcast can write an entry. The data port wants
 * a client certificate of the cluster, so this node shows its own; it closes the connection after the
 * handshake and sends nothing (the relay logs that it refused a connection that sent no header).
 */
final class NameProof {

  private final NetClient client;

  NameProof(Vertx vertx, NodeConfig config, NodeIdentity identity) {
    this.client = vertx.createNetClient(Transport.dataClient(config, identity));
  }

  Future<Boolean> proves(NodeInfo node) {
    return client.connect(node.dataPort(), node.host())
        .map(socket -> {
          boolean proven = node.name().equals(peerName(socket));
          socket.close();
          return proven;
        })
        .otherwise(false);
  }

  private static String peerName(NetSocket socket) {
    try {
      return NodeIdentity.peerName(socket.sslSession());
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  Future<Void> close() {
    return client.close();
  }
}
