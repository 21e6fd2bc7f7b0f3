package io.gosync.relay;

import io.gosync.fs.Dir;
import io.gosync.fs.OpenFile;
import io.gosync.fs.Stat;
import io.gosync.protocol.BlockList;
import io.gosync.scan.Basis;
import io.gosync.scan.Entry;
import io.gosync.scan.EntryLocator;
import io.gosync.scan.FileFacts;
import io.gosync.scan.TempNames;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Blocking steps that make a received file appear atomically: a temporary file beside the final
 * name (created new, by handle, so never through a link), checksum, mode and mtime, with durable
 * landing an fsync of its data, then a rename within that same directory handle. The parent is
 * opened step by step from the destination without following links, so a directory swapped for a
 * symlink can fail a file, never lead it outside. Called from worker threads, several at once.
 */
final class Landing {

  /** A temporary file being written: its directory and the file, both open, until committed or discarded. */
  record Temporary(Dir parent, String name, OpenFile file) {

    /** Removes the temporary file and closes both handles; never fails. */
    void discard() {
      try {
        parent.unlink(name);
      } catch (IOException e) {
        // already gone, or the directory failed: nothing more can be done for it
      } finally {
        close();
      }
    }

    /** Closes both handles, leaving the file under its name. */
    void close() {
      file.close();
      parent.close();
    }
  }

  /** A delta's blocks pass in reads of up to this much: 1 MiB blocks, one read each. */
  private static final int REBUILD_BUFFER = 1 << 20;

  private final EntryLocator locator;
  private final String taskId;
  private final TempNames temps;
  private final boolean durable;
  private final boolean verifySha256;

  /** @param dst the real destination path; for a single-file task, the file itself */
  Landing(Path dst, boolean singleFile, String taskId, TempNames temps, boolean durable, boolean verifySha256) {
    this.locator = EntryLocator.of(dst, singleFile);
    this.taskId = taskId;
    this.temps = temps;
    this.durable = durable;
    this.verifySha256 = verifySha256;
  }

  /** Creates the temporary file a small file of the stream is written to. */
  Temporary create(int index, Entry entry) throws IOException {
    Dir parent = openParent(entry);
    String name = temps.name(taskId, index);
    try {
      return new Temporary(parent, name, parent.create(name, 0600));
    } catch (IOException | RuntimeException e) {
      parent.close();
      throw e;
    }
  }

  /**
   * The temporary file of a large file, named by its content (see {@link TempNames#partial}) so that what a
   * cut-off task left of it can be resumed: created new when the stream sends it whole (whatever an earlier
   * task left goes first), else the one left, cut to the {@code from} bytes the stream goes on from. That one
   * must be a plain file with no other name, so writing it cannot change another file.
   */
  Temporary createLarge(Entry entry, long from) throws IOException {
    Dir parent = openParent(entry);
    String name = temps.partial(locator.name(entry), entry.hash());
    try {
      if (from == 0) {
        if (parent.stat(name) != null) {
          parent.unlink(name);
        }
        return new Temporary(parent, name, parent.create(name, 0600));
      }
      return new Temporary(parent, name, resumable(parent, name, entry, from));
    } catch (IOException | RuntimeException e) {
      parent.close();
      throw e;
    }
  }

  private static OpenFile resumable(Dir parent, String name, Entry entry, long from) throws IOException {
    OpenFile file = parent.openForWriting(name);
    try {
      Stat stat = file.stat();
      if (stat.links() != 1 || stat.size() < from) {
        throw new IOException("cannot resume " + display(entry) + " from byte " + from + ": what an earlier task "
            + "left of it " + (stat.links() != 1 ? "has other names" : "holds only " + stat.size() + " bytes"));
      }
      try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.WRITE)) {
        channel.truncate(from);
      }
      return file;
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  private Dir openParent(Entry entry) throws IOException {
    try {
      return locator.openParent(entry);
    } catch (IOException e) {
      throw new IOException("refusing to write " + display(entry)
          + ": its parent is not a real directory inside the destination (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Why a resumed file may not land: the bytes that came passed their check, but the start an earlier task left
   * is only known by the whole file's SHA-256, read back from the disk; null when it is the manifest's.
   */
  static String resumedTrouble(Temporary temp, Entry entry) throws IOException {
    MessageDigest digest = FileFacts.sha256();
    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    try (FileChannel in = FileChannel.open(temp.file().path(), StandardOpenOption.READ)) {
      while (in.read(buffer) >= 0) {
        digest.update(buffer.flip());
        buffer.clear();
      }
    }
    return HexFormat.of().formatHex(digest.digest()).equals(entry.hash()) ? null : "hash mismatch for "
        + display(entry) + ": with the start an earlier task left of it, it is not the manifest's file";
  }

  /**
   * Completes a delta's temporary file, whose missing blocks came in the stream, with the other blocks from the old
   * version under the final name, and verifies the whole file's SHA-256 in the same pass.
   *
   * @return why the file may not land from this old version, or null when it may: the old version's stat is not
   * the one its blocks were compared at (before the copy or after it), or the file built is not the manifest's
   */
  String rebuild(Temporary temp, Entry entry, Basis basis) throws IOException {
    MessageDigest digest = FileFacts.sha256();
    ByteBuffer buffer = ByteBuffer.allocate(Math.min(basis.wanted().blockSize(), REBUILD_BUFFER));
    OpenFile opened;
    try {
      opened = temp.parent().open(locator.name(entry));
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

  /** What is checked of a file's bytes as they come. */
  ReceivedBytes received() {
    return new ReceivedBytes(verifySha256);
  }

  /** Lands a small file whose bytes are all in memory, once they pass their check ({@code crc32c}). */
  void landWhole(int index, Entry entry, byte[] data, int crc32c) throws IOException {
    ReceivedBytes received = received();
    received.update(data);
    String trouble = received.trouble(entry, crc32c);
    if (trouble != null) {
      throw new IOException(trouble);
    }
    Temporary temp = create(index, entry);
    try (FileChannel out = FileChannel.open(temp.file().path(), StandardOpenOption.WRITE)) {
      for (ByteBuffer bytes = ByteBuffer.wrap(data); bytes.hasRemaining(); ) {
        out.write(bytes);
      }
    } catch (IOException | RuntimeException e) {
      temp.discard();
      throw e;
    }
    commit(temp, entry);
  }

  /** Gives a written and checked temporary file its metadata and renames it into place; removes it on any failure. */
  void commit(Temporary temp, Entry entry) throws IOException {
    try {
      FileFacts.applyMetadata(temp.file(), null, entry);
      if (durable) {
        temp.file().sync();
      }
      temp.parent().rename(temp.name(), temp.parent(), locator.name(entry));
    } catch (IOException | RuntimeException e) {
      temp.discard();
      throw e;
    }
    temp.close();
  }

  private static String display(Entry entry) {
    return ReceivedBytes.display(entry);
  }
}
