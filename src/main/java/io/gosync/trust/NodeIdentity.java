package io.gosync.trust;

import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * One host's identity in the cluster, loaded from its certs directory (what {@code --certs DIR} names): the
 * node's name as its certificate says it, the files TLS is built from, and the cluster's API token.
 *
 * @param name     the node name, from the CN of {@value #CERT_FILE}
 * @param caFile   the cluster CA's certificate, the one certificate this node trusts
 * @param certFile this node's certificate, signed by the CA
 * @param keyFile  this node's private key
 * @param token    the cluster's HTTP API token
 */
public record NodeIdentity(String name, Path caFile, Path certFile, Path keyFile, ApiToken token) {

  public static final String CA_FILE = "ca.pem";
  public static final String CERT_FILE = "node.pem";
  public static final String KEY_FILE = "node-key.pem";
  /** Everything in a host's certs directory, and nothing else: never the CA's key. */
  public static final List<String> FILES = List.of(CA_FILE, CERT_FILE, KEY_FILE, ApiToken.FILE);

  /**
   * Reads and checks dir: every file there and readable, the certificate signed by the CA and valid now, the
   * key its own. A problem is a {@link CertsFileException} that names the file and what is wrong with it.
   */
  public static NodeIdentity load(Path dir) {
    Path caFile = dir.resolve(CA_FILE);
    Path certFile = dir.resolve(CERT_FILE);
    Path keyFile = dir.resolve(KEY_FILE);
    X509Certificate ca = PemFiles.readCertificate(caFile);
    X509Certificate node = PemFiles.readCertificate(certFile);
    PrivateKey key = PemFiles.readPrivateKey(keyFile);
    ApiToken token = ApiToken.read(dir.resolve(ApiToken.FILE));
    checkAuthority(caFile, ca);
    checkIssued(certFile, node, caFile, ca);
    Keys.checkPair(keyFile, key, certFile, node);
    String name = commonName(node);
    if (!NodeName.isValid(name)) {
      throw new CertsFileException(certFile, "its subject " + node.getSubjectX500Principal().getName()
          + " names no node (the CN must follow the node-name rule)");
    }
    return new NodeIdentity(name, caFile, certFile, keyFile, token);
  }

  /**
   * A secret of this node alone, derived from its private key: it keys the names of the node's temporary
   * files (scan/TempNames), so that no other file can pass for one.
   */
  public byte[] localSecret() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update("gosync temporary names\0".getBytes(StandardCharsets.US_ASCII));
      return digest.digest(Files.readAllBytes(keyFile));
    } catch (IOException e) {
      throw new CertsFileException(keyFile, "cannot be read: " + e.getMessage());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** This node's key and certificate, for a NetServer, a NetClient or the event bus. */
  public PemKeyCertOptions keyCertOptions() {
    return new PemKeyCertOptions().setKeyPath(keyFile.toString()).setCertPath(certFile.toString());
  }

  /** The cluster CA as the only trust anchor: a peer is believed only with a certificate the CA signed. */
  public PemTrustOptions trustOptions() {
    return new PemTrustOptions().addCertPath(caFile.toString());
  }

  /**
   * The node name a TLS peer proved, from the CN of its certificate. Meaningful only on a connection whose
   * options trust {@link #trustOptions} alone and, on a server, require client authentication.
   */
  public static String peerName(SSLSession session) throws SSLPeerUnverifiedException {
    Certificate[] chain = session.getPeerCertificates();
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate peer)) {
      throw new SSLPeerUnverifiedException("the peer sent no X.509 certificate");
    }
    String name = commonName(peer);
    if (!NodeName.isValid(name)) {
      throw new SSLPeerUnverifiedException("the peer's certificate names no node: "
          + peer.getSubjectX500Principal().getName());
    }
    return name;
  }

  /** Checks that certificate is a CA's and valid now. */
  static void checkAuthority(Path file, X509Certificate certificate) {
    if (certificate.getBasicConstraints() < 0) {
      throw new CertsFileException(file, "not a CA certificate (no CA basic constraint)");
    }
    checkValidNow(file, certificate);
  }

  private static void checkIssued(Path file, X509Certificate node, Path caFile, X509Certificate ca) {
    if (!node.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
      throw new CertsFileException(file, "issued by " + node.getIssuerX500Principal().getName() + ", not by the CA of "
          + caFile.getFileName() + " (" + ca.getSubjectX500Principal().getName() + ")");
    }
    try {
      node.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new CertsFileException(file, "not signed by the key of " + caFile.getFileName() + ": " + e.getMessage(), e);
    }
    checkValidNow(file, node);
  }

  private static void checkValidNow(Path file, X509Certificate certificate) {
    try {
      certificate.checkValidity();
    } catch (CertificateExpiredException e) {
      throw new CertsFileException(file, "expired on " + certificate.getNotAfter().toInstant(), e);
    } catch (CertificateNotYetValidException e) {
      throw new CertsFileException(file, "not valid before " + certificate.getNotBefore().toInstant()
          + " (is this host's clock right?)", e);
    }
  }

  /** The subject's one CN, or null when it has none or several. */
  private static String commonName(X509Certificate certificate) {
    RDN[] names = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.CN);
    if (names.length != 1 || names[0].isMultiValued()) {
      return null;
    }
    return IETFUtils.valueToString(names[0].getFirst().getValue());
  }
}
