package io.gosync.config;

import io.gosync.trust.NodeIdentity;
import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;

import org.slf4j.LoggerFactory;

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

  /**
   * The TLS engine of every node-to-node connection: OpenSSL (BoringSSL, from netty-tcnative), because
   * it costs about 40 % less time and CPU. Measured on loopback, 1 GiB through one mutual-TLS connection, warm, in
   * one JVM on this 2-core machine: JDK SSLEngine 1.78-2.06 s and 2.1-2.3 CPU s per GiB, OpenSSL
   * 1.11-1.24 s and 1.3-1.4 CPU s per GiB, no TLS 0.45 s and 0.6. Where the native library cannot load
   * (another OS or CPU), the JDK's engine does the same job more slowly: still TLS, said once at start.
   */
  private static final SSLEngineOptions ENGINE = chooseEngine();

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
    options.setSsl(true).setClientAuth(ClientAuth.REQUIRED).setSslEngineOptions(ENGINE)
        .setKeyCertOptions(identity.keyCertOptions()).setTrustOptions(identity.trustOptions());
    return options;
  }

  public static NetServerOptions dataServer(NodeConfig config, NodeIdentity identity) {
    return new NetServerOptions().setHost(config.host()).setPort(config.dataPort()).setTcpNoDelay(true)
        .setSsl(true).setClientAuth(ClientAuth.REQUIRED).setSslEngineOptions(ENGINE)
        .setKeyCertOptions(identity.keyCertOptions()).setTrustOptions(identity.trustOptions())
        // A peer that stalls its handshake holds a connection no longer than one that stalls its header.
        .setSslHandshakeTimeout(config.connectTimeoutMs()).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  public static NetClientOptions dataClient(NodeConfig config, NodeIdentity identity) {
    return new NetClientOptions().setConnectTimeout(config.connectTimeoutMs()).setTcpNoDelay(true)
        .setSsl(true).setSslEngineOptions(ENGINE).setHostnameVerificationAlgorithm("")
        .setKeyCertOptions(identity.keyCertOptions()).setTrustOptions(identity.trustOptions())
        .setSslHandshakeTimeout(config.connectTimeoutMs()).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  /**
   * The HTTP API: plain on loopback, where only this host's processes reach it (and they still need the
   * token); beyond loopback HTTPS with the node's own key and certificate. There a client certificate is
   * requested, not required (curl and the CLI come with the token instead), and believed only when the
   * cluster CA signed it.
   */
  public static HttpServerOptions httpServer(NodeConfig config, NodeIdentity identity) {
    HttpServerOptions options = new HttpServerOptions().setHost(config.httpBind()).setPort(config.httpPort());
    if (config.httpOnLoopback()) {
      return options;
    }
    options.setSsl(true).setClientAuth(ClientAuth.REQUEST).setSslEngineOptions(ENGINE)
        .setKeyCertOptions(identity.keyCertOptions()).setTrustOptions(identity.trustOptions())
        .setSslHandshakeTimeout(config.connectTimeoutMs()).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    return options;
  }

  private static SSLEngineOptions chooseEngine() {
    if (OpenSsl.isAvailable()) {
      return new OpenSSLEngineOptions();
    }
    LoggerFactory.getLogger(Transport.class).warn("OpenSSL cannot be loaded here, so TLS runs on the JDK's engine: {}",
        String.valueOf(OpenSsl.unavailabilityCause()));
    return new JdkSSLEngineOptions();
  }
}
