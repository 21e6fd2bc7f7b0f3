package io.gosync.relay;

import io.gosync.fs.Dir;
import io.gosync.fs.OpenFile;
import io.gosync.fs.Stat;
import io.gosync.scan.Basis;
import io.gosync.scan.Entry;
import io.gosync.scan.EntryLocator;
import io.gosync.scan.FileFacts;
import io.gosync.scan.ScanMessages.LearnedBlocks;
import io.gosync.scan.TempNames;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.Consumer;

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

  private final EntryLocator locator;
  private final String taskId;
  private final TempNames temps;
  private final boolean durable;
  private final boolean verifySha256;
  private final Consumer<LearnedBlocks> learned;

  /**
   * @param dst the real destination path; for a single-file task, the file itself
   * @param learned hears of the block list of each file built from its old version, for the scanner's block cache
   */
  Landing(Path dst, boolean singleFile, String taskId, TempNames temps, boolean durable, boolean verifySha256,
      Consumer<LearnedBlocks> learned) {
    this.locator = EntryLocator.of(dst, singleFile);
    this.learned = learned;
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
   * Completes a delta's temporary file from the old version under the final name; see {@link Rebuild}.
   *
   * @return why the file may not land from this old version, or null when it may
   */
  String rebuild(Temporary temp, Entry entry, Basis basis) throws IOException {
    return Rebuild.from(temp, locator.name(entry), entry, basis);
  }

  /** A delta's file landed as {@code stat}: its block list is the one it was built to, told for its next delta. */
  void rebuilt(Stat stat, Entry entry, Basis basis) {
    learned.accept(new LearnedBlocks(stat, entry.hash(), basis.wanted()));
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

  /**
   * Gives a written and checked temporary file its metadata and renames it into place; removes it on any failure.
   *
   * @return the landed file's stat
   */
  Stat commit(Temporary temp, Entry entry) throws IOException {
    Stat landed;
    try {
      FileFacts.applyMetadata(temp.file(), null, entry);
      if (durable) {
        temp.file().sync();
      }
      temp.parent().rename(temp.name(), temp.parent(), locator.name(entry));
      landed = temp.file().stat();
    } catch (IOException | RuntimeException e) {
      temp.discard();
      throw e;
    }
    temp.close();
    return landed;
  }

  private static String display(Entry entry) {
    return ReceivedBytes.display(entry);
  }
}
