package io.gosync.relay;

import io.gosync.fs.OpenFile;
import io.gosync.protocol.BlockList;
import io.gosync.scan.Basis;
import io.gosync.scan.Entry;
import io.gosync.scan.FileFacts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Builds the new version of a file from the blocks of a delta that came and its old version (issue 13): one pass
 * over the new version's blocks in order, each copied from the old version or read back from the temporary file,
 * all of them through one SHA-256, so the file is verified whole as it is built. Blocking; on a worker thread.
 */
final class Rebuild {

  /** Blocks pass in reads of up to this much: 1 MiB blocks, one read each. */
  private static final int BUFFER = 1 << 20;

  private Rebuild() {
  }

  /**
   * Completes a delta's temporary file, whose missing blocks came in the stream, with the other blocks from the old
   * version {@code oldName} beside it, and verifies the whole file's SHA-256 in the same pass.
   *
   * @return why the file may not land from this old version, or null when it may: the old version's stat is not
   * the one its blocks were compared at (before the copy or after it), or the file built is not the manifest's
   */
  static String from(Landing.Temporary temp, String oldName, Entry entry, Basis basis) throws IOException {
    MessageDigest digest = FileFacts.sha256();
    ByteBuffer buffer = ByteBuffer.allocate(Math.min(basis.wanted().blockSize(), BUFFER));
    OpenFile opened;
    try {
      opened = temp.parent().open(oldName);
    } catch (IOException e) {
      return "its old version cannot be opened now (" + e.getMessage() + ")";
    }
    try (OpenFile old = opened) {
      if (!old.stat().equals(basis.old())) {
        return "its old version changed since its blocks were compared";
      }
      try (FileChannel from = FileChannel.open(old.path(), StandardOpenOption.READ);
           FileChannel to = FileChannel.open(temp.file().path(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        BlockList wanted = basis.wanted();
        for (int i = 0; i < wanted.count(); i++) {
          int source = basis.source(i);
          if (source >= 0) {
            pass(from, wanted.offset(source), to, wanted.offset(i), wanted.length(i), digest, buffer);
          } else {
            pass(to, wanted.offset(i), null, 0, wanted.length(i), digest, buffer);
          }
        }
      }
      if (!old.stat().equals(basis.old())) {
        return "its old version changed while its blocks were copied";
      }
    }
    return HexFormat.of().formatHex(digest.digest()).equals(entry.hash()) ? null
        : "built from its old version, it is not the manifest's file";
  }

  /**
   * Hashes {@code length} bytes of {@code from} at {@code at}, and copies them to {@code to} at {@code toAt} unless
   * it is null; fewer if {@code from} ends before.
   */
  private static void pass(FileChannel from, long at, FileChannel to, long toAt, long length, MessageDigest digest,
      ByteBuffer buffer) throws IOException {
    for (long done = 0; done < length; ) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), length - done));
      int read = from.read(buffer, at + done);
      if (read < 0) {
        return; // the old version was cut meanwhile: its stat, or the hash, says so
      }
      digest.update(buffer.flip());
      if (to != null) {
        writeFully(to, buffer.rewind(), toAt + done);
      }
      done += read;
    }
  }

  private static void writeFully(FileChannel channel, ByteBuffer bytes, long at) throws IOException {
    for (long offset = at; bytes.hasRemaining(); ) {
      offset += channel.write(bytes, offset);
    }
  }
}
