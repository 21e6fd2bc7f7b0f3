package io.gosync.fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** What statx tells of one directory entry, the entry itself (a link is not followed). */
public record Stat(Kind kind, int mode, long size, Timestamp mtime, Timestamp ctime, long device, long inode,
                   int links) {

  public enum Kind { FILE, DIR, LINK, OTHER }

  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFLNK = 0120000;

  /** struct statx is 256 bytes with one layout on every architecture. */
  static final int STATX_BYTES = 256;

  static Stat of(byte[] statx) {
    ByteBuffer b = ByteBuffer.wrap(statx).order(ByteOrder.nativeOrder());
    int mode = Short.toUnsignedInt(b.getShort(28));
    long device = ((long) b.getInt(136) << 32) | Integer.toUnsignedLong(b.getInt(140));
    return new Stat(kind(mode), mode & 07777, b.getLong(40), time(b, 112), time(b, 96), device, b.getLong(32),
        b.getInt(16));
  }

  private static Timestamp time(ByteBuffer b, int at) {
    return new Timestamp(b.getLong(at), b.getInt(at + 8));
  }

  private static Kind kind(int mode) {
    return switch (mode & S_IFMT) {
      case S_IFREG -> Kind.FILE;
      case S_IFDIR -> Kind.DIR;
      case S_IFLNK -> Kind.LINK;
      default -> Kind.OTHER;
    };
  }

  public boolean isFile() {
    return kind == Kind.FILE;
  }

  public boolean isDirectory() {
    return kind == Kind.DIR;
  }

  public boolean isLink() {
    return kind == Kind.LINK;
  }
}
