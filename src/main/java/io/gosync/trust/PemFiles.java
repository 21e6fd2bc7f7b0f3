package io.gosync.trust;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.Set;

/**
 * Certificates and private keys as PEM files, written and read by BouncyCastle; private files are created
 * with mode 0600 (directories 0700) in the create call itself, so they are never readable by others.
 */
final class PemFiles {

  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIR =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
  /** A PEM certificate or key is a few kB; a larger file is not one of ours, and is not read whole. */
  private static final long MAX_BYTES = 64 * 1024;

  private PemFiles() {
  }

  /** Creates a directory (and missing parents) readable by its owner only; an existing one is left as it is. */
  static void createDirectory(Path dir) {
    try {
      Files.createDirectories(dir, OWNER_ONLY_DIR);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }

  /** A new, empty directory inside parent, readable by its owner only. */
  static Path createTemporaryDirectory(Path parent, String prefix) {
    try {
      return Files.createTempDirectory(parent, prefix, OWNER_ONLY_DIR);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory in " + parent + ": " + e.getMessage(), e);
    }
  }

  static void writeCertificate(Path file, X509Certificate certificate) {
    write(file, pem(certificate));
  }

  /** The key as PKCS#8 ("BEGIN PRIVATE KEY"), the form that Vert.x, the JDK and OpenSSL all read. */
  static void writePrivateKey(Path file, PrivateKey key) {
    try {
      writePrivate(file, pem(new JcaPKCS8Generator(key, null).generate()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void writePrivate(Path file, String text) {
    write(file, text, OWNER_ONLY_FILE);
  }

  static X509Certificate readCertificate(Path file) {
    Object pem = readPem(file);
    if (!(pem instanceof X509CertificateHolder holder)) {
      throw new CertsFileException(file, "not a PEM certificate (found " + describe(pem) + ")");
    }
    try {
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (CertificateException e) {
      throw new CertsFileException(file, "unreadable certificate: " + e.getMessage(), e);
    }
  }

  /** Reads an unencrypted private key, PKCS#8 ("PRIVATE KEY") or OpenSSL's "EC/RSA PRIVATE KEY". */
  static PrivateKey readPrivateKey(Path file) {
    Object pem = readPem(file);
    try {
      if (pem instanceof PrivateKeyInfo info) {
        return new JcaPEMKeyConverter().getPrivateKey(info);
      }
      if (pem instanceof PEMKeyPair pair) {
        return new JcaPEMKeyConverter().getKeyPair(pair).getPrivate();
      }
    } catch (IOException e) {
      throw new CertsFileException(file, "unreadable private key: " + e.getMessage(), e);
    }
    throw new CertsFileException(file, "not an unencrypted PEM private key (found " + describe(pem) + ")");
  }

  /** The bytes of a file that must exist, be a regular file, be readable and be small. */
  static byte[] readBytes(Path file) {
    if (!Files.exists(file)) {
      throw new CertsFileException(file, "missing");
    }
    if (!Files.isRegularFile(file)) {
      throw new CertsFileException(file, "not a regular file");
    }
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new CertsFileException(file, "larger than " + MAX_BYTES + " bytes: not a certificate, key or token");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CertsFileException(file, "not readable: " + e.getMessage(), e);
    }
  }

  private static Object readPem(Path file) {
    String text = new String(readBytes(file), StandardCharsets.US_ASCII);
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      return parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new CertsFileException(file, "malformed PEM: " + e.getMessage(), e);
    }
  }

  private static String describe(Object pem) {
    return pem == null ? "no PEM block" : pem.getClass().getSimpleName();
  }

  private static String pem(Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  /** Creates the file, never replacing one: a second writer or a stale file is an error, not a silent overwrite. */
  private static void write(Path file, String text, FileAttribute<?>... attributes) {
    Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try (SeekableByteChannel channel = Files.newByteChannel(file, options, attributes)) {
      ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    } catch (FileAlreadyExistsException e) {
      throw new CertsFileException(file, "exists already", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
