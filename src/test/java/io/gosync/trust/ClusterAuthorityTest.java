package io.gosync.trust;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** certs init and issue: the files, their modes, and certificates that the JDK's own PKIX validator accepts. */
class ClusterAuthorityTest {

  private static final String OWNER_ONLY = "rw-------";
  /** KeyUsage bits as X509Certificate.getKeyUsage numbers them. */
  private static final int DIGITAL_SIGNATURE = 0;
  private static final int KEY_ENCIPHERMENT = 2;
  private static final int KEY_CERT_SIGN = 5;
  /** Subject alternative name types as X509Certificate.getSubjectAlternativeNames numbers them. */
  private static final int DNS = 2;
  private static final int IP = 7;

  @TempDir
  Path tmp;

  @Test
  void initMakesTheCaAndAUrlSafeTokenWithPrivateFilesOwnerOnly() throws Exception {
    Path dir = tmp.resolve("new/ca");

    ClusterAuthority.init(dir);

    assertEquals(Set.of("ca.pem", "ca-key.pem", "token"), names(dir));
    assertEquals(OWNER_ONLY, mode(dir.resolve("ca-key.pem")));
    assertEquals(OWNER_ONLY, mode(dir.resolve("token")));
    assertEquals("rwx------", mode(dir));
    String token = Files.readString(dir.resolve("token"));
    assertTrue(token.matches("[A-Za-z0-9_-]{43}\n"), token);
    X509Certificate ca = certificate(dir.resolve("ca.pem"));
    assertEquals(ca.getSubjectX500Principal(), ca.getIssuerX500Principal());
    assertEquals(0, ca.getBasicConstraints());
    assertTrue(ca.getKeyUsage()[KEY_CERT_SIGN]);
    ca.verify(ca.getPublicKey());
  }

  @Test
  void twoClustersGetDifferentTokensAndCaNames() throws Exception {
    ClusterAuthority.init(tmp.resolve("a"));
    ClusterAuthority.init(tmp.resolve("b"));

    assertNotEquals(Files.readString(tmp.resolve("a/token")), Files.readString(tmp.resolve("b/token")));
    assertNotEquals(certificate(tmp.resolve("a/ca.pem")).getSubjectX500Principal(),
        certificate(tmp.resolve("b/ca.pem")).getSubjectX500Principal());
  }

  @Test
  void initRefusesADirectoryThatHoldsACaAndLeavesItAsItWas() throws Exception {
    Path dir = tmp.resolve("ca");
    ClusterAuthority.init(dir);
    byte[] key = Files.readAllBytes(dir.resolve("ca-key.pem"));

    CertsFileException refused = assertThrows(CertsFileException.class, () -> ClusterAuthority.init(dir));

    assertEquals(dir.resolve("ca.pem"), refused.file());
    assertTrue(refused.getMessage().contains("never overwritten"), refused.getMessage());
    assertArrayEquals(key, Files.readAllBytes(dir.resolve("ca-key.pem")));
  }

  @Test
  void issueMakesADirectoryWithEverythingOneHostNeedsAndNeverTheCaKey() throws Exception {
    Path dir = tmp.resolve("ca");
    ClusterAuthority.init(dir).issue("node-1", List.of("10.0.0.5"), false);
    Path node = dir.resolve("node-1");

    assertEquals(Set.of("ca.pem", "node.pem", "node-key.pem", "token"), names(node));
    assertEquals(OWNER_ONLY, mode(node.resolve("node-key.pem")));
    assertEquals(OWNER_ONLY, mode(node.resolve("token")));
    assertEquals(Files.readString(dir.resolve("ca.pem")), Files.readString(node.resolve("ca.pem")));
    assertEquals(Files.readString(dir.resolve("token")), Files.readString(node.resolve("token")));
    assertFalse(Files.readString(node.resolve("ca.pem")).contains("PRIVATE KEY"));
    assertTrue(Files.readString(node.resolve("node-key.pem")).startsWith("-----BEGIN PRIVATE KEY-----"));
  }

  @Test
  void theNodeCertificateValidatesAgainstTheCaWithPkix() throws Exception {
    Path dir = tmp.resolve("ca");
    ClusterAuthority.init(dir).issue("node-1", List.of(), false);

    validate(certificate(dir.resolve("node-1/node.pem")), certificate(dir.resolve("ca.pem")));
  }

  @Test
  void pkixRejectsTheNodeCertificateAgainstAnotherCa() throws Exception {
    ClusterAuthority.init(tmp.resolve("a")).issue("node-1", List.of(), false);
    ClusterAuthority.init(tmp.resolve("b"));

    X509Certificate node = certificate(tmp.resolve("a/node-1/node.pem"));
    X509Certificate otherCa = certificate(tmp.resolve("b/ca.pem"));
    assertThrows(CertPathValidatorException.class, () -> validate(node, otherCa));
  }

  @Test
  void theNodeCertificateCarriesItsNameHostsAndUsagesForBothEnds() throws Exception {
    Path dir = tmp.resolve("ca");
    ClusterAuthority.init(dir).issue("node-1", List.of("10.0.0.5", "::1", "node-1.example.org"), false);

    X509Certificate node = certificate(dir.resolve("node-1/node.pem"));

    assertEquals("CN=node-1", node.getSubjectX500Principal().getName());
    assertEquals(Set.of(List.of(DNS, "node-1"), List.of(IP, "10.0.0.5"), List.of(IP, "0:0:0:0:0:0:0:1"),
        List.of(DNS, "node-1.example.org")), Set.copyOf(node.getSubjectAlternativeNames()));
    assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), node.getExtendedKeyUsage());
    assertTrue(node.getKeyUsage()[DIGITAL_SIGNATURE]);
    assertFalse(node.getKeyUsage()[KEY_ENCIPHERMENT], "an EC key does not encipher");
    assertEquals(-1, node.getBasicConstraints());
    assertEquals("EC", node.getPublicKey().getAlgorithm());
    long days = (node.getNotAfter().getTime() - node.getNotBefore().getTime()) / 86_400_000L;
    assertTrue(days >= 730 && days <= 732, days + " days");
  }

  @Test
  void reissueIsRefusedWithoutForceAndReplacesTheKeyWithIt() throws Exception {
    Path dir = tmp.resolve("ca");
    ClusterAuthority authority = ClusterAuthority.init(dir);
    authority.issue("node-1", List.of(), false);
    String firstKey = Files.readString(dir.resolve("node-1/node-key.pem"));

    CertsFileException refused = assertThrows(CertsFileException.class,
        () -> authority.issue("node-1", List.of(), false));
    assertEquals(dir.resolve("node-1"), refused.file());
    assertTrue(refused.getMessage().contains("--force"), refused.getMessage());
    assertEquals(firstKey, Files.readString(dir.resolve("node-1/node-key.pem")));

    ClusterAuthority.open(dir).issue("node-1", List.of(), true);
    assertNotEquals(firstKey, Files.readString(dir.resolve("node-1/node-key.pem")));
    assertEquals(Set.of("ca.pem", "node.pem", "node-key.pem", "token"), names(dir.resolve("node-1")));
    assertEquals(Set.of("ca.pem", "ca-key.pem", "token", "node-1"), names(dir));
  }

  @Test
  void forceNeverReplacesTheCasOwnFilesOrAForeignDirectory() throws Exception {
    Path dir = tmp.resolve("ca");
    ClusterAuthority authority = ClusterAuthority.init(dir);
    Files.createDirectories(dir.resolve("notes"));
    Files.writeString(dir.resolve("notes/todo.txt"), "keep me");

    assertThrows(CertsFileException.class, () -> authority.issue("token", List.of(), true));
    assertThrows(CertsFileException.class, () -> authority.issue("ca.pem", List.of(), true));
    assertThrows(CertsFileException.class, () -> authority.issue("notes", List.of(), true));

    assertEquals("keep me", Files.readString(dir.resolve("notes/todo.txt")));
    ClusterAuthority.open(dir);
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"", "-lead", ".hidden", "has space", "a/b", "../up", "x!",
      "a1234567890123456789012345678901234567890123456789012345678901234"})
  void aBadNodeNameIsRefusedBeforeAnythingIsWritten(String name) throws Exception {
    Path dir = tmp.resolve("ca");
    ClusterAuthority authority = ClusterAuthority.init(dir);

    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> authority.issue(name, List.of(), false));

    assertTrue(refused.getMessage().contains("node name"), refused.getMessage());
    assertEquals(Set.of("ca.pem", "ca-key.pem", "token"), names(dir));
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"", "1.2.3.999", "10.0.0", "bad host", "-x.example", "x..example", "*.example.org",
      "10.0.0.5:9000", "http://x", "fe80::1%eth0", "10.0.0.0/8"})
  void aBadHostIsRefusedBeforeAnythingIsWritten(String host) throws Exception {
    Path dir = tmp.resolve("ca");
    ClusterAuthority authority = ClusterAuthority.init(dir);

    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> authority.issue("node-1", List.of("10.0.0.5", host), false));

    assertTrue(refused.getMessage().startsWith("--host '" + host + "'"), refused.getMessage());
    assertEquals(Set.of("ca.pem", "ca-key.pem", "token"), names(dir));
  }

  @Test
  void openNamesTheFileWhenTheCaKeyIsNotTheCertificatesKey() throws Exception {
    ClusterAuthority.init(tmp.resolve("a"));
    ClusterAuthority.init(tmp.resolve("b"));
    Files.delete(tmp.resolve("a/ca-key.pem"));
    Files.copy(tmp.resolve("b/ca-key.pem"), tmp.resolve("a/ca-key.pem"));

    CertsFileException refused = assertThrows(CertsFileException.class, () -> ClusterAuthority.open(tmp.resolve("a")));

    assertEquals(tmp.resolve("a/ca-key.pem"), refused.file());
    assertTrue(refused.getMessage().endsWith("not the key of ca.pem"), refused.getMessage());
  }

  private static void validate(X509Certificate node, X509Certificate ca) throws Exception {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    parameters.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(List.of(node)), parameters);
  }

  /** Parsed by the JDK's own CertificateFactory, which reads PEM, not by the code under test. */
  static X509Certificate certificate(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static String mode(Path file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  private static Set<String> names(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(entry -> entry.getFileName().toString()).collect(Collectors.toSet());
    }
  }
}
