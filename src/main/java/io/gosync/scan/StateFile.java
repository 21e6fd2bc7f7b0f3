package io.gosync.scan;

import io.gosync.fs.Timestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * A cache of one node as a file in its state directory ({@link HashCacheFile}, {@link BlockCacheFile}), written
 * and read whole. Written atomically (a temporary file, fsync, rename, fsync of the directory), readable by its
 * owner only (it says which files the node read); it starts with a magic number, its format and the node's name,
 * and ends with a CRC32C of everything before, checked before any field is read, so that a torn, damaged or
 * foreign file is refused whole.
 */
final class StateFile {

  /** What a file holds after its header, written by its cache's file. */
  interface Contents {
    void write(DataOutputStream out) throws IOException;
  }

  /** Reads a cache's saved entries, least recently used first; null when there is no file yet. */
  interface Loader<T> {
    List<T> load() throws IOException;
  }

  /** Writes a cache's entries, least recently used first. */
  interface Saver<T> {
    void save(List<T> entries) throws IOException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(StateFile.class);

  private final Path stateDir;
  private final Path file;
  private final Path temp;
  private final int magic;
  private final int format;
  /** What the magic number says it is, for the reason a foreign file is refused: "hash cache". */
  private final String kind;
  private final String node;
  /** Why the last save failed, so that a state directory that stays unwritable is logged once. */
  private String lastFailure;

  /** The file {@code name} in {@code stateDir}, of {@code node}, which writes {@code kind}s in {@code format}. */
  StateFile(Path stateDir, String name, int magic, int format, String kind, String node) {
    this.stateDir = stateDir;
    this.file = stateDir.resolve(name);
    this.temp = stateDir.resolve(name + ".tmp");
    this.magic = magic;
    this.format = format;
    this.kind = kind;
    this.node = node;
  }

  Path path() {
    return file;
  }

  /**
   * Hands what {@code load} reads to {@code restore}, if there is a good file: a bad or unreadable one costs one log
   * line and, after the restart, {@code loss} ("files are hashed again"), never a failed start.
   *
   * @return the entries restored
   */
  <T> int restore(Loader<T> load, Consumer<List<T>> restore, String loss) {
    try {
      List<T> saved = load.load();
      if (saved == null) {
        LOG.info("{}: no {} yet, starting with an empty cache", kind, file);
        return 0;
      }
      restore.accept(saved);
      LOG.info("{}: {} entries from {}", kind, saved.size(), file);
      return saved.size();
    } catch (IOException | RuntimeException e) {
      LOG.warn("{} file {} ignored, starting with an empty cache ({}): {}", kind, file, loss, why(e));
      return 0;
    }
  }

  /**
   * Saves {@code changes} with {@code save}, unless they are null (nothing changed since the last save or restore).
   * A failure is logged, once while it stays the same, and costs {@code loss} after a restart.
   *
   * @return whether the file now holds the cache
   */
  <T> boolean saveChanges(List<T> changes, Saver<T> save, String loss) {
    if (changes == null) {
      return true;
    }
    try {
      save.save(changes);
      lastFailure = null;
      return true;
    } catch (IOException | RuntimeException e) {
      if (!why(e).equals(lastFailure)) {
        LOG.warn("{} not saved to {} (it stays in memory; after a restart {}): {}", kind, file, loss, why(e));
      }
      lastFailure = why(e);
      return false;
    }
  }

  /**
   * The file's length, once its trailing CRC32C matches what comes before; -1 when there is no file yet. Checked
   * before a field is read, so that damage anywhere is named as damage, not as the odd value (a time of
   * -1,000,000 nanoseconds) a flipped bit happens to make.
   *
   * @throws IllegalArgumentException when it is truncated or its checksum does not match
   */
  long verifiedLength() throws IOException {
    long length;
    try {
      length = Files.size(file);
    } catch (NoSuchFileException e) {
      return -1;
    }
    if (length < 4) {
      throw new IllegalArgumentException("it is truncated");
    }
    CRC32C crc = new CRC32C();
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      byte[] chunk = new byte[1 << 16];
      for (long left = length - 4; left > 0; ) {
        int n = (int) Math.min(chunk.length, left);
        in.readFully(chunk, 0, n);
        crc.update(chunk, 0, n);
        left -= n;
      }
      if (Integer.toUnsignedLong(in.readInt()) != crc.getValue()) {
        throw new IllegalArgumentException("its checksum does not match its contents");
      }
    } catch (EOFException e) {
      throw new IllegalArgumentException("it is truncated");
    }
    return length;
  }

  /**
   * Opens the file and reads its header, which must be this node's file of this kind and format.
   *
   * @throws IllegalArgumentException naming what is wrong with the header
   */
  DataInputStream open() throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)));
    try {
      if (in.readInt() != magic) {
        throw new IllegalArgumentException("it is not a gosync " + kind);
      }
      int found = in.readInt();
      if (found != format) {
        throw new IllegalArgumentException("its format is " + found + ", this gosync reads " + format);
      }
      String owner = in.readUTF();
      if (!owner.equals(node)) {
        throw new IllegalArgumentException("it is node " + owner + "'s, not " + node + "'s");
      }
      return in;
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /** The header's length: magic, format, then the node's name as writeUTF writes it (ASCII, by the NodeName rule). */
  int headerBytes() {
    return 4 + 4 + 2 + node.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Replaces the file with the header, these contents and the checksum: whole or not at all, even on a crash. */
  void save(Contents contents) throws IOException {
    Files.createDirectories(stateDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    // A temporary file a crash left behind is replaced; the cache says which files the node read: its own only.
    Files.deleteIfExists(temp);
    try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      write(channel, contents);
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel directory = FileChannel.open(stateDir, StandardOpenOption.READ)) {
      directory.force(true);
    }
  }

  private void write(FileChannel channel, Contents contents) throws IOException {
    CheckedOutputStream checked = new CheckedOutputStream(
        new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16), new CRC32C());
    DataOutputStream out = new DataOutputStream(checked);
    out.writeInt(magic);
    out.writeInt(format);
    out.writeUTF(node);
    contents.write(out);
    out.writeInt((int) checked.getChecksum().getValue());
    out.flush();
  }

  /** Why a load or a save failed, for its log line: what and where for an I/O error, the damage for a bad file. */
  static String why(Exception e) {
    return e instanceof IOException ? ScannerVerticle.describe(e) : e.getMessage();
  }

  /** A file time: seconds, then nanoseconds, refused when they are out of range. */
  static Timestamp readTime(DataInputStream in) throws IOException {
    long seconds = in.readLong();
    int nanos = in.readInt();
    if (nanos < 0 || nanos > 999_999_999) {
      throw new IllegalArgumentException("it holds a time of " + nanos + " nanoseconds");
    }
    return new Timestamp(seconds, nanos);
  }

  static void writeTime(DataOutputStream out, Timestamp time) throws IOException {
    out.writeLong(time.seconds());
    out.writeInt(time.nanos());
  }
}
