package io.gosync.trust;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;

/** Key pairs and the signature algorithm that goes with a key, all from the JDK's own providers. */
final class Keys {

  /**
   * EC P-256: a 91-byte public key and a signature of about 71 bytes (RSA-2048: 294 and 256) keep certificates and
   * handshakes small, signing is fast, and the JDK's SSLEngine and OpenSSL (netty-tcnative) both support it.
   */
  private static final String CURVE = "secp256r1";

  private Keys() {
  }

  static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(CURVE));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot make " + CURVE + " keys", e);
    }
  }

  /** SHA-256 with the key's own algorithm; RSA keys are accepted on reading (e.g. a CA made with OpenSSL). */
  static String signatureAlgorithm(PrivateKey key) {
    return switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      default -> throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm() + " (EC or RSA)");
    };
  }

  /** Checks that the key is the private half of the certificate's public key, by signing a test message. */
  static void checkPair(Path keyFile, PrivateKey key, Path certFile, X509Certificate certificate) {
    byte[] message = "gosync key check".getBytes(StandardCharsets.US_ASCII);
    String algorithm;
    try {
      algorithm = signatureAlgorithm(key);
    } catch (IllegalArgumentException e) {
      throw new CertsFileException(keyFile, e.getMessage(), e);
    }
    boolean pair;
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(message);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(message);
      pair = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      pair = false;
    }
    if (!pair) {
      throw new CertsFileException(keyFile, "not the key of " + certFile.getFileName());
    }
  }
}
