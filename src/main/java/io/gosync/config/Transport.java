package io.gosync.config;

import io.gosync.trust.NodeIdentity;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SSLEngineOptions;

import java.util.concurrent.TimeUnit;

/**
 * Every socket a daemon opens to other nodes or to users is configured here: the clustered
 * event bus, the data port as server and as client, and the HTTP API. One place, so that
 * transport security is added once and nothing can open a connection around it.
 *
 * <p>Between nodes it is mutual TLS, with the node's own key and certificate, the cluster CA as the only
 * trust anchor and client certificates required: a peer without a certificate of this cluster fails the
 * handshake, before a byte it sends is read or one of ours is sent. Hostname verification is off:
 * addresses come from Hazelcast, which proves nothing; what identifies a peer is the node name in its
 * certificate ({@code NodeIdentity.peerName}).
 */
public final class Transport {

  private Transport() {
  }

  /**
   * A Hazelcast member without a certificate of this cluster can neither send to nor receive from us. The
   * event bus's client trusts every server by default (EventBusOptions.DEFAULT_TRUST_ALL): off, or any member
   * with any certificate would receive what we send it.
   */
  public static EventBusOptions eventBus(NodeConfig config, NodeIdentity identity) {
    EventBusOptions options = new EventBusOptions().setHost(config.host()).setPort(0)
        .setClusterPublicHost(config.host()).setTrustAll(false);
    options.setSsl(true).setClientAuth(ClientAuth.REQUIRED).setSslEngineOptions(engine())
        .setKeyCertOptions(identity.keyCertOptions()).setTrustOptions(identity.trustOptions());
    return options;
  }

  public static NetServerOptions dataServer(NodeConfig config, NodeIdentity identity) {
    return new NetServerOptions().setHost(config.host()).setPort(config.dataPort()).setTcpNoDelay(true)
        .setSsl(true).setClientAuth(ClientAuth.REQUIRED).setSslEngineOptions(engine())
        .setKeyCertOptions(identity.keyCertOptions()).setTrustOptions(identity.trustOptions())
        // A peer that stalls its handshake holds a connection no longer than one that stalls its header.
        .setSslHandshakeTimeout(config.connectTimeoutMs()).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  public static NetClientOptions dataClient(NodeConfig config, NodeIdentity identity) {
    return new NetClientOptions().setConnectTimeout(config.connectTimeoutMs()).setTcpNoDelay(true)
        .setSsl(true).setSslEngineOptions(engine()).setHostnameVerificationAlgorithm("")
        .setKeyCertOptions(identity.keyCertOptions()).setTrustOptions(identity.trustOptions())
        .setSslHandshakeTimeout(config.connectTimeoutMs()).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  public static HttpServerOptions httpServer(NodeConfig config) {
    return new HttpServerOptions().setHost(config.httpBind()).setPort(config.httpPort());
  }

  /**
   * The TLS engine of every node-to-node connection: the JDK's for now (no native library to ship);
   * whether OpenSSL (netty-tcnative) pays for itself is measured separately.
   */
  private static SSLEngineOptions engine() {
    return new JdkSSLEngineOptions();
  }
}
