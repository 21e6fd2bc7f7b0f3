package io.gosync.cli;

import io.gosync.trust.ApiToken;
import io.gosync.trust.CertsFileException;
import io.gosync.trust.NodeIdentity;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * What a client command shows a daemon and trusts in it, from a certs directory of the cluster (any host's,
 * e.g. the one the local daemon runs with): the token it sends, and for an https daemon the cluster CA, the
 * one certificate it trusts. Plain JDK, no Vert.x and no BouncyCastle: a CLI call must start fast.
 */
final class ApiCredentials {

  private final Path dir;
  private final ApiToken token;
  private SSLSocketFactory tls;

  private ApiCredentials(Path dir, ApiToken token) {
    this.dir = dir;
    this.token = token;
  }

  /**
   * Reads the token of certs, the certs directory as the flag, GOSYNC_CERTS or the config file named it.
   * An empty one is an IllegalArgumentException that says how to name one (the CLI exits 2).
   */
  static ApiCredentials load(String certs) {
    if (certs == null || certs.isBlank()) {
      throw new IllegalArgumentException("no certs directory: the daemon's API wants the cluster's token, which a"
          + " client reads from a certs directory of the cluster (gosync certs issue made one per host). Give"
          + " --certs DIR, or set GOSYNC_CERTS=DIR (as for the daemon), or the key certs in --config FILE");
    }
    Path dir = Path.of(certs.strip());
    return new ApiCredentials(dir, ApiToken.read(dir.resolve(ApiToken.FILE)));
  }

  String authorization() {
    return "Bearer " + token.value();
  }

  /** Why a daemon answered 401: the token is not its cluster's. */
  String refusal() {
    return "the daemon refused the token in " + dir.resolve(ApiToken.FILE) + ": it does not match this cluster's"
        + " (is --certs a certs directory of the cluster this daemon belongs to?)";
  }

  /**
   * TLS that believes the cluster CA alone. Host names are not checked: a certificate the cluster CA signed is
   * a node of the cluster whichever address it answers on, and every node holds the token anyway.
   */
  synchronized SSLSocketFactory tls() {
    if (tls == null) {
      tls = trustingOnly(dir.resolve(NodeIdentity.CA_FILE)).getSocketFactory();
    }
    return tls;
  }

  private static SSLContext trustingOnly(Path caFile) {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(caFile)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException | GeneralSecurityException e) {
      throw new CertsFileException(caFile, "not readable as PEM certificates: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new CertsFileException(caFile, "holds no certificate");
    }
    try {
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        anchors.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(anchors);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS trusting " + caFile + ": " + e.getMessage(), e);
    }
  }
}
