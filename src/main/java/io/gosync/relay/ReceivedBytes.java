package io.gosync.relay;

import io.gosync.fs.Names;
import io.gosync.relay.wire.Frames;
import io.gosync.scan.Entry;
import io.gosync.scan.FileFacts;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.Checksum;

/**
 * What a receiver checks of one file's bytes before the file takes its name: always their CRC32C
 * against the check the source sent after them (see {@link Frames} for why that is enough between
 * certified nodes), and with {@code verifySha256} also their SHA-256 against the manifest, so that
 * not even a certified node upstream can land other bytes here (0.7-0.9 CPU s per GiB more).
 */
final class ReceivedBytes {

  private final Checksum crc = Frames.crc32c();
  private final MessageDigest sha256;

  ReceivedBytes(boolean verifySha256) {
    this.sha256 = verifySha256 ? FileFacts.sha256() : null;
  }

  /** Counts the bytes in place; does not move the buffer's position. */
  void update(ByteBuffer bytes) {
    crc.update(bytes.duplicate());
    if (sha256 != null) {
      sha256.update(bytes.duplicate());
    }
  }

  void update(byte[] bytes) {
    update(ByteBuffer.wrap(bytes));
  }

  /** Why these bytes may not land as {@code entry}, whose check is {@code crc32c}; null when they may. */
  String trouble(Entry entry, int crc32c) {
    if ((int) crc.getValue() != crc32c) {
      return "checksum mismatch for " + display(entry) + ": the stream damaged it";
    }
    if (sha256 != null && !HexFormat.of().formatHex(sha256.digest()).equals(entry.hash())) {
      return "hash mismatch for " + display(entry) + ": the bytes that came are not the manifest's file";
    }
    return null;
  }

  static String display(Entry entry) {
    return entry.path().isEmpty() ? "the file" : Names.display(entry.path());
  }
}
