package io.gosync.trust;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The cluster's own certificate authority: a directory holding its key ({@value #KEY_FILE}), its self-signed
 * certificate ({@value NodeIdentity#CA_FILE}) and the API token, from which each node's certs directory is issued.
 */
public final class ClusterAuthority {

  public static final String KEY_FILE = "ca-key.pem";

  /**
   * Replacing the CA means issuing every node anew at once, so it lasts long. Its key stays in the CA
   * directory on the operator's machine and never reaches a node.
   */
  private static final Period CA_VALIDITY = Period.ofYears(10);
  /**
   * A node's key lives on a networked host and there is no revocation list yet: a stolen one stops working
   * 2 years after issue at the latest, while renewing (certs issue --force) stays a rare, planned chore.
   */
  private static final Period NODE_VALIDITY = Period.ofYears(2);
  /** Hosts' clocks differ: valid from an hour ago, a new certificate works at once on a host that is behind. */
  private static final Duration BACKDATE = Duration.ofHours(1);
  /** Dot-separated labels of letters, digits and inner hyphens (RFC 1123), 253 characters at most. */
  private static final String LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
  private static final Pattern HOST_NAME = Pattern.compile("(?=.{1,253}$)" + LABEL + "(\\." + LABEL + ")*");
  /** A last label of digits only makes a mistyped IP address (1.2.3.999), not a host name (RFC 3696, section 2). */
  private static final Pattern NUMERIC_LAST_LABEL = Pattern.compile("(^|\\.)[0-9]+$");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final X509Certificate certificate;
  private final PrivateKey key;
  private final ApiToken token;

  private ClusterAuthority(Path dir, X509Certificate certificate, PrivateKey key, ApiToken token) {
    this.dir = dir;
    this.certificate = certificate;
    this.key = key;
    this.token = token;
  }

  /** Makes a new CA and API token in dir (created if missing); refuses when dir holds one already. */
  public static ClusterAuthority init(Path dir) {
    for (String name : List.of(NodeIdentity.CA_FILE, KEY_FILE, ApiToken.FILE)) {
      if (NodeDirectory.exists(dir.resolve(name))) {
        throw new CertsFileException(dir.resolve(name), "exists already: " + dir
            + " holds a cluster CA, which is never overwritten (move it away by hand to start a new cluster)");
      }
    }
    PemFiles.createDirectory(dir);
    KeyPair pair = Keys.generate();
    // Two clusters' CAs get different names, so that an error or `openssl x509 -text` tells them apart.
    byte[] id = new byte[4];
    RANDOM.nextBytes(id);
    X500Name subject = commonName("gosync cluster CA " + HexFormat.of().formatHex(id));
    X509v3CertificateBuilder builder = template(subject, subject, pair.getPublic(), CA_VALIDITY);
    // pathLen 0: the CA signs nodes only, never another CA.
    extend(builder, Extension.basicConstraints, true, new BasicConstraints(0));
    extend(builder, Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    extend(builder, Extension.subjectKeyIdentifier, false, extensions().createSubjectKeyIdentifier(pair.getPublic()));
    X509Certificate certificate = sign(builder, pair.getPrivate());
    ApiToken token = ApiToken.generate();
    PemFiles.writePrivateKey(dir.resolve(KEY_FILE), pair.getPrivate());
    PemFiles.writeCertificate(dir.resolve(NodeIdentity.CA_FILE), certificate);
    token.write(dir.resolve(ApiToken.FILE));
    return new ClusterAuthority(dir, certificate, pair.getPrivate(), token);
  }

  /** Reads the CA made by {@link #init}: its certificate, the key that goes with it, the token. */
  public static ClusterAuthority open(Path dir) {
    Path certFile = dir.resolve(NodeIdentity.CA_FILE);
    X509Certificate certificate = PemFiles.readCertificate(certFile);
    NodeIdentity.checkAuthority(certFile, certificate);
    Path keyFile = dir.resolve(KEY_FILE);
    PrivateKey key = PemFiles.readPrivateKey(keyFile);
    Keys.checkPair(keyFile, key, certFile, certificate);
    return new ClusterAuthority(dir, certificate, key, ApiToken.read(dir.resolve(ApiToken.FILE)));
  }

  /**
   * Issues node name's key and certificate into dir/name/, a directory that is everything that host needs
   * ({@link NodeIdentity#FILES}). Each host becomes an IP SAN, or a DNS SAN when it is a host name.
   * An existing dir/name/ is replaced only when force is set.
   */
  public Path issue(String name, List<String> hosts, boolean force) {
    NodeName.check(name);
    GeneralNames altNames = altNames(name, hosts);
    Path target = dir.resolve(name);
    NodeDirectory.checkReplaceable(target, name, force);
    KeyPair pair = Keys.generate();
    X509Certificate node = signNode(name, pair.getPublic(), altNames);
    NodeDirectory.write(dir, target, certificate, node, pair.getPrivate(), token);
    return target;
  }

  public Path dir() {
    return dir;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** The node's name as a DNS SAN, then each host: an IP literal as an IP SAN, a host name as a DNS SAN. */
  private static GeneralNames altNames(String name, List<String> hosts) {
    Set<GeneralName> names = new LinkedHashSet<>();
    names.add(new GeneralName(GeneralName.dNSName, name));
    for (String host : hosts) {
      if (IPAddress.isValid(host)) {
        names.add(new GeneralName(GeneralName.iPAddress, host));
      } else if (HOST_NAME.matcher(host).matches() && !NUMERIC_LAST_LABEL.matcher(host).find()) {
        names.add(new GeneralName(GeneralName.dNSName, host));
      } else {
        throw new IllegalArgumentException("--host '" + host + "': neither an IP address nor a host name");
      }
    }
    return new GeneralNames(names.toArray(GeneralName[]::new));
  }

  private X509Certificate signNode(String name, PublicKey publicKey, GeneralNames altNames) {
    X500Name issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    X509v3CertificateBuilder builder = template(issuer, commonName(name), publicKey, NODE_VALIDITY);
    extend(builder, Extension.basicConstraints, true, new BasicConstraints(false));
    // An RSA key may also encrypt the TLS 1.2 pre-master secret; an EC key only signs (ECDHE).
    int usage = KeyUsage.digitalSignature | ("RSA".equals(publicKey.getAlgorithm()) ? KeyUsage.keyEncipherment : 0);
    extend(builder, Extension.keyUsage, true, new KeyUsage(usage));
    // Every node both accepts connections (serverAuth) and makes them (clientAuth).
    extend(builder, Extension.extendedKeyUsage, false,
        new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
    extend(builder, Extension.subjectAlternativeName, false, altNames);
    extend(builder, Extension.subjectKeyIdentifier, false, extensions().createSubjectKeyIdentifier(publicKey));
    // The CA's key identifier only (not its name and serial), so that a CA certificate renewed on the same key
    // still matches the nodes it signed.
    extend(builder, Extension.authorityKeyIdentifier, false,
        extensions().createAuthorityKeyIdentifier(certificate.getPublicKey()));
    return sign(builder, key);
  }

  private static X500Name commonName(String name) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).build();
  }

  private static X509v3CertificateBuilder template(X500Name issuer, X500Name subject, PublicKey publicKey,
      Period validity) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    Date notBefore = Date.from(now.minus(BACKDATE).toInstant());
    Date notAfter = Date.from(now.plus(validity).toInstant());
    // 128 random bits: serials must be unique per CA and positive, at most 20 bytes (RFC 5280 4.1.2.2).
    BigInteger serial = new BigInteger(128, RANDOM).add(BigInteger.ONE);
    return new JcaX509v3CertificateBuilder(issuer, serial, notBefore, notAfter, subject, publicKey);
  }

  private static void extend(X509v3CertificateBuilder builder, ASN1ObjectIdentifier oid, boolean critical,
      ASN1Encodable value) {
    try {
      builder.addExtension(oid, critical, value);
    } catch (CertIOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JcaX509ExtensionUtils extensions() {
    try {
      return new JcaX509ExtensionUtils();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no SHA-1 for key identifiers", e);
    }
  }

  /** Signs with the JDK's providers: BouncyCastle only builds and encodes, it is no JCE provider here. */
  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey) {
    try {
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder(Keys.signatureAlgorithm(signingKey)).build(signingKey)));
    } catch (OperatorCreationException | CertificateException e) {
      throw new IllegalStateException("cannot sign a certificate: " + e.getMessage(), e);
    }
  }
}
