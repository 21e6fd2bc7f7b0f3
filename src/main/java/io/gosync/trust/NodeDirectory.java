package io.gosync.trust;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** Writes one host's certs directory ({@link NodeIdentity#FILES}) whole, or not at all. */
final class NodeDirectory {

  private NodeDirectory() {
  }

  /** Whether anything is at path, a dangling link included. */
  static boolean exists(Path path) {
    return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Refuses an existing target unless force is set, and even then anything but a directory (not a link) that
   * holds nothing besides a node's files: --force replaces a node, it never deletes the CA's files or others.
   */
  static void checkReplaceable(Path target, String name, boolean force) {
    if (!exists(target)) {
      return;
    }
    if (!force) {
      throw new CertsFileException(target,
          "exists already: node " + name + " was issued before (--force issues it anew)");
    }
    if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new CertsFileException(target, "exists and is not a node's directory: not replaced");
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
      for (Path entry : entries) {
        if (!NodeIdentity.FILES.contains(String.valueOf(entry.getFileName()))) {
          throw new CertsFileException(entry, "is not a node's file: " + target + " not replaced");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes the files into a fresh directory beside target, then moves it in place (replacing the old one,
   * which {@link #checkReplaceable} vetted): a failure half-way leaves no half-issued node behind.
   */
  static void write(Path parent, Path target, X509Certificate ca, X509Certificate node, PrivateKey key,
      ApiToken token) {
    Path staged = PemFiles.createTemporaryDirectory(parent, "." + target.getFileName() + ".");
    try {
      PemFiles.writeCertificate(staged.resolve(NodeIdentity.CA_FILE), ca);
      PemFiles.writeCertificate(staged.resolve(NodeIdentity.CERT_FILE), node);
      PemFiles.writePrivateKey(staged.resolve(NodeIdentity.KEY_FILE), key);
      token.write(staged.resolve(ApiToken.FILE));
      if (exists(target)) {
        delete(target);
      }
      Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      delete(staged);
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      delete(staged);
      throw e;
    }
  }

  /** Deletes a node's directory and its files; nothing else is in it (see {@link #checkReplaceable}). */
  private static void delete(Path dir) {
    try {
      for (String file : NodeIdentity.FILES) {
        Files.deleteIfExists(dir.resolve(file));
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }
}
