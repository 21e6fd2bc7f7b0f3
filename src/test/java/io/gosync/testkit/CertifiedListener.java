package io.gosync.testkit;

import io.gosync.trust.NodeIdentity;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static io.gosync.testkit.TestCluster.await;

/**
 * A test's own TLS listener on loopback, holding a certificate of the cluster under some name (a certified
 * node gone bad, or an eavesdropper given one): it counts the connections it gets and every byte sent to it,
 * and answers nothing, or does as told with the first bytes it gets.
 */
public final class CertifiedListener implements AutoCloseable {

  private final NetServer server;
  private final AtomicInteger connections;
  private final AtomicLong bytes;

  private CertifiedListener(NetServer server, AtomicInteger connections, AtomicLong bytes) {
    this.server = server;
    this.connections = connections;
    this.bytes = bytes;
  }

  public static CertifiedListener start(Vertx vertx, NodeIdentity identity) {
    return start(vertx, identity, socket -> { });
  }

  /** One that does {@code onFirstBytes} to the connection its first bytes come on: answers, or closes it. */
  public static CertifiedListener start(Vertx vertx, NodeIdentity identity, Consumer<NetSocket> onFirstBytes) {
    AtomicInteger connections = new AtomicInteger();
    AtomicLong bytes = new AtomicLong();
    NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0)
            .setSsl(true).setClientAuth(ClientAuth.REQUIRED)
            .setKeyCertOptions(identity.keyCertOptions()).setTrustOptions(identity.trustOptions()))
        .connectHandler(socket -> {
          connections.incrementAndGet();
          socket.handler(buffer -> {
            if (bytes.getAndAdd(buffer.length()) == 0) {
              onFirstBytes.accept(socket);
            }
          });
        });
    await(server.listen(), 10);
    return new CertifiedListener(server, connections, bytes);
  }

  public int port() {
    return server.actualPort();
  }

  /** TLS connections accepted (each after a completed handshake). */
  public int connections() {
    return connections.get();
  }

  /** Bytes received on all of them. */
  public long bytes() {
    return bytes.get();
  }

  @Override
  public void close() {
    await(server.close(), 10);
  }
}
