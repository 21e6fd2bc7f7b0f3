package io.gosync.testkit;

import io.gosync.trust.NodeIdentity;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;

import java.io.IOException;
import java.net.Socket;
import javax.net.ssl.SSLContext;

/**
 * Plain JDK TLS sockets for tests that speak to a data port byte by byte, the way a peer would: with some
 * identity's key and certificate, trusting some CA. Vert.x only reads the PEM files.
 */
public final class TlsSockets {

  private TlsSockets() {
  }

  /** A socket that presents holder's certificate and believes the CA that trusted trusts. */
  public static Socket connect(Vertx vertx, NodeIdentity holder, NodeIdentity trusted, String host, int port)
      throws IOException {
    return context(vertx, holder.keyCertOptions(), trusted.trustOptions()).getSocketFactory().createSocket(host, port);
  }

  public static SSLContext context(Vertx vertx, KeyCertOptions key, TrustOptions trust) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(key.getKeyManagerFactory(vertx).getKeyManagers(),
          trust.getTrustManagerFactory(vertx).getTrustManagers(), null);
      return context;
    } catch (Exception e) {
      // getKeyManagerFactory and getTrustManagerFactory declare Exception
      throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
    }
  }
}
