package io.gosync.trust;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading a host's certs directory: what it returns, and a clear error naming the file for each fault. */
class NodeIdentityTest {

  @TempDir
  Path tmp;

  private Path node;

  @BeforeEach
  void issueANode() {
    node = ClusterAuthority.init(tmp.resolve("ca")).issue("node-1", List.of("127.0.0.1"), false);
  }

  @Test
  void aFreshlyIssuedDirectoryLoadsWithTheNameFromTheCertificateAndTheToken() throws IOException {
    Path copied = Files.move(node, tmp.resolve("etc-gosync-certs"));

    NodeIdentity identity = NodeIdentity.load(copied);

    assertEquals("node-1", identity.name());
    assertEquals(copied.resolve("node.pem"), identity.certFile());
    assertEquals(copied.resolve("node-key.pem"), identity.keyFile());
    assertEquals(copied.resolve("ca.pem"), identity.caFile());
    assertEquals(Files.readString(copied.resolve("token")).strip(), identity.token().value());
    assertTrue(identity.token().matches(identity.token().value()));
    assertFalse(identity.token().matches(identity.token().value() + "x"));
    assertFalse(identity.toString().contains(identity.token().value()), "the token stays out of logs");
  }

  @Test
  void theVertxOptionsPointAtTheLoadedFiles() {
    NodeIdentity identity = NodeIdentity.load(node);

    assertEquals(node.resolve("node-key.pem").toString(), identity.keyCertOptions().getKeyPath());
    assertEquals(node.resolve("node.pem").toString(), identity.keyCertOptions().getCertPath());
    assertEquals(List.of(node.resolve("ca.pem").toString()), identity.trustOptions().getCertPaths());
  }

  @Test
  void aNodeCertificateFromAnotherCaIsRejected() throws IOException {
    Path stranger = ClusterAuthority.init(tmp.resolve("other")).issue("node-1", List.of(), false);
    replace(stranger.resolve("node.pem"), node.resolve("node.pem"));
    replace(stranger.resolve("node-key.pem"), node.resolve("node-key.pem"));

    CertsFileException rejected = assertThrows(CertsFileException.class, () -> NodeIdentity.load(node));

    assertEquals(node.resolve("node.pem"), rejected.file());
    assertTrue(rejected.getMessage().contains("not by the CA of ca.pem"), rejected.getMessage());
  }

  @Test
  void aTamperedSignatureIsRejected() throws IOException {
    Path cert = node.resolve("node.pem");
    byte[] der = Base64.getMimeDecoder().decode(Files.readString(cert).replaceAll("-----[A-Z ]+-----", ""));
    der[der.length - 1] ^= 1;
    Files.writeString(cert, "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(der)
        + "\n-----END CERTIFICATE-----\n");

    CertsFileException rejected = assertThrows(CertsFileException.class, () -> NodeIdentity.load(node));

    assertEquals(cert, rejected.file());
    assertTrue(rejected.getMessage().contains("not signed by the key of ca.pem"), rejected.getMessage());
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRejected() throws IOException {
    Path other = ClusterAuthority.open(tmp.resolve("ca")).issue("node-2", List.of(), false);
    replace(other.resolve("node-key.pem"), node.resolve("node-key.pem"));

    CertsFileException rejected = assertThrows(CertsFileException.class, () -> NodeIdentity.load(node));

    assertEquals(node.resolve("node-key.pem"), rejected.file());
    assertTrue(rejected.getMessage().endsWith("not the key of node.pem"), rejected.getMessage());
  }

  @Test
  void aNodeCertificateInPlaceOfTheCaIsRejected() throws IOException {
    replace(node.resolve("node.pem"), node.resolve("ca.pem"));

    CertsFileException rejected = assertThrows(CertsFileException.class, () -> NodeIdentity.load(node));

    assertEquals(node.resolve("ca.pem"), rejected.file());
    assertTrue(rejected.getMessage().contains("not a CA certificate"), rejected.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ca.pem", "node.pem", "node-key.pem", "token"})
  void aMissingFileIsNamed(String file) throws IOException {
    Files.delete(node.resolve(file));

    CertsFileException rejected = assertThrows(CertsFileException.class, () -> NodeIdentity.load(node));

    assertEquals(node.resolve(file), rejected.file());
    assertEquals(node.resolve(file) + ": missing", rejected.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ca.pem", "node.pem", "node-key.pem"})
  void aFileThatIsNotPemIsNamed(String file) throws IOException {
    Files.writeString(node.resolve(file), "this is not PEM\n");

    CertsFileException rejected = assertThrows(CertsFileException.class, () -> NodeIdentity.load(node));

    assertEquals(node.resolve(file), rejected.file());
    assertTrue(rejected.getMessage().contains("no PEM block"), rejected.getMessage());
  }

  @Test
  void aTruncatedCertificateIsNamed() throws IOException {
    Path cert = node.resolve("node.pem");
    String text = Files.readString(cert);
    Files.writeString(cert, text.substring(0, text.length() / 2));

    CertsFileException rejected = assertThrows(CertsFileException.class, () -> NodeIdentity.load(node));

    assertEquals(cert, rejected.file());
  }

  @Test
  void aKeyInPlaceOfTheCertificateIsNamed() throws IOException {
    replace(node.resolve("node-key.pem"), node.resolve("node.pem"));

    CertsFileException rejected = assertThrows(CertsFileException.class, () -> NodeIdentity.load(node));

    assertEquals(node.resolve("node.pem"), rejected.file());
    assertTrue(rejected.getMessage().contains("not a PEM certificate"), rejected.getMessage());
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"", "short", "has spaces in it and is long enough to pass the length rule ok"})
  void aBadTokenIsNamed(String token) throws IOException {
    Files.writeString(node.resolve("token"), token);

    CertsFileException rejected = assertThrows(CertsFileException.class, () -> NodeIdentity.load(node));

    assertEquals(node.resolve("token"), rejected.file());
    assertTrue(rejected.getMessage().contains("not an API token"), rejected.getMessage());
  }

  @Test
  void aDirectoryInPlaceOfAFileIsNamed() throws IOException {
    Files.delete(node.resolve("node.pem"));
    Files.createDirectory(node.resolve("node.pem"));

    CertsFileException rejected = assertThrows(CertsFileException.class, () -> NodeIdentity.load(node));

    assertEquals(node.resolve("node.pem") + ": not a regular file", rejected.getMessage());
  }

  private static void replace(Path from, Path to) throws IOException {
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
  }
}
