package io.gosync.scan;

import io.gosync.fs.Handle;
import io.gosync.fs.OpenFile;
import io.gosync.fs.Stat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.atomic.LongAdder;

/** Blocking file facts and changes that both sides of a sync need, all through open handles. */
public final class FileFacts {

  /**
   * One read buffer per hashing thread, reused for every file. A direct buffer allocated per
   * file is zeroed (so resident) at once but freed only when a GC happens to collect it: hashing
   * 2,000 small files that way left 2 GiB resident on a source daemon.
   */
  private static final ThreadLocal<ByteBuffer> HASH_BUFFER =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(256 << 10));

  private FileFacts() {
  }

  /**
   * Gives a file or directory the entry's mode and mtime, changing only what differs: the one
   * place where landing, preparing and finishing set metadata.
   *
   * @param current the handle's attributes, or null when its mtime is surely not the entry's
   * @return how many of the two it changed
   */
  public static int applyMetadata(Handle handle, Stat current, Entry entry) throws IOException {
    Stat now = current == null ? handle.stat() : current;
    int changed = 0;
    if (now.mode() != entry.mode()) {
      handle.setMode(entry.mode());
      changed++;
    }
    if (current == null || !current.mtime().equals(entry.mtime())) {
      handle.setTime(entry.mtime());
      changed++;
    }
    return changed;
  }

  /**
   * Whether a file as the sender opened it is, unread, the one a scan that began at {@code scanBegan} hashed for
   * {@code entry}: its size and mtime are the entry's, and its ctime and mtime had settled before the scan
   * began (HashCache's rule), so nothing has written it since. Every write and every change of its times or
   * name moves its ctime to the present, and ctime cannot be set; a file whose times are that recent is hashed.
   */
  public static boolean unchangedSince(Stat opened, Entry entry, Instant scanBegan) {
    return opened.size() == entry.size() && opened.mtime().equals(entry.mtime())
        && HashCache.settled(opened.mtime(), scanBegan) && HashCache.settled(opened.ctime(), scanBegan);
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String hash(OpenFile file) throws IOException {
    return hash(file, new LongAdder());
  }

  /** The file's SHA-256 (hex); every byte read for it is added to {@code read}. */
  static String hash(OpenFile file, LongAdder read) throws IOException {
    MessageDigest digest = sha256();
    ByteBuffer buffer = HASH_BUFFER.get().clear();
    try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ)) {
      for (int n; (n = channel.read(buffer)) >= 0; ) {
        read.add(n);
        buffer.flip();
        digest.update(buffer);
        buffer.clear();
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
