package io.gosync.relay;

import io.gosync.fs.Dir;
import io.gosync.fs.OpenFile;
import io.gosync.scan.Entry;
import io.gosync.scan.FileFacts;
import io.gosync.scan.TempNames;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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

    private void close() {
      file.close();
      parent.close();
    }
  }

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

  /** Creates the temporary file a file of the stream is written to. */
  Temporary create(int index, Entry entry) throws IOException {
    Dir parent;
    try {
      parent = locator.openParent(entry);
    } catch (IOException e) {
      throw new IOException("refusing to write " + display(entry)
          + ": its parent is not a real directory inside the destination (" + e.getMessage() + ")", e);
    }
    String name = temps.name(taskId, index);
    try {
      return new Temporary(parent, name, parent.create(name, 0600));
    } catch (IOException | RuntimeException e) {
      parent.close();
      throw e;
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
