package io.gosync.fs;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * The libc calls gosync makes by directory handle, through JNA's direct mapping. Every name is
 * one path component as bytes, NUL-terminated by the caller ({@link #z}); 64-bit Linux only
 * (x86_64 and aarch64 differ in two open flags). A call that fails throws a
 * {@link FileSystemException} naming the call, the name and errno's text.
 */
final class Libc {

  static final int AT_SYMLINK_NOFOLLOW = 0x100;
  static final int AT_REMOVEDIR = 0x200;
  static final int AT_EMPTY_PATH = 0x1000;
  static final int STATX_BASIC_STATS = 0x7ff;
  static final long UTIME_OMIT = (1L << 30) - 2;

  static final int O_RDONLY = 0;
  static final int O_WRONLY = 1;
  static final int O_CREAT = 0100;
  static final int O_EXCL = 0200;
  static final int O_NOCTTY = 0400;
  static final int O_NONBLOCK = 04000;
  static final int O_CLOEXEC = 02000000;
  static final int O_DIRECTORY = Platform.isARM() ? 040000 : 0200000;
  static final int O_NOFOLLOW = Platform.isARM() ? 0100000 : 0400000;

  static final int EPERM = 1;
  static final int ENOENT = 2;
  static final int EACCES = 13;
  static final int EEXIST = 17;
  static final int ENOTDIR = 20;
  static final int ELOOP = 40;

  static {
    Native.register(Platform.C_LIBRARY_NAME);
  }

  private Libc() {
  }

  static native int openat(int dirfd, byte[] name, int flags, int mode) throws LastErrorException;

  static native int close(int fd) throws LastErrorException;

  static native int mkdirat(int dirfd, byte[] name, int mode) throws LastErrorException;

  static native int unlinkat(int dirfd, byte[] name, int flags) throws LastErrorException;

  static native int renameat(int fromDirfd, byte[] from, int toDirfd, byte[] to) throws LastErrorException;

  static native int symlinkat(byte[] target, int dirfd, byte[] name) throws LastErrorException;

  static native long readlinkat(int dirfd, byte[] name, byte[] buffer, long size) throws LastErrorException;

  static native int statx(int dirfd, byte[] name, int flags, int mask, byte[] buffer) throws LastErrorException;

  static native int utimensat(int dirfd, byte[] name, long[] times, int flags) throws LastErrorException;

  static native int futimens(int fd, long[] times) throws LastErrorException;

  static native int fchmod(int fd, int mode) throws LastErrorException;

  static native int fsync(int fd) throws LastErrorException;

  static native long getdents64(int fd, byte[] buffer, long size) throws LastErrorException;

  static native long lseek(int fd, long offset, int whence) throws LastErrorException;

  /** A call that returns -1 and sets errno on failure (JNA then throws). */
  interface Call {
    int run() throws LastErrorException;
  }

  static int call(String what, byte[] name, Call call) throws FileSystemException {
    try {
      return call.run();
    } catch (LastErrorException e) {
      throw failure(what, name, e);
    }
  }

  /** The name as a C string. */
  static byte[] z(byte[] name) {
    byte[] terminated = new byte[name.length + 1];
    System.arraycopy(name, 0, terminated, 0, name.length);
    return terminated;
  }

  /**
   * The exception for a failed call, of the JDK's own kinds where there is one (NoSuchFileException
   * for ENOENT, AccessDeniedException for EACCES and EPERM, FileAlreadyExistsException for EEXIST), so callers tell "absent" and "denied"
   * apart as they would with java.nio; errno's text is in the reason.
   */
  static FileSystemException failure(String call, byte[] name, LastErrorException e) {
    String file = Names.display(Names.decode(name));
    String reason = call + ": " + e.getMessage().replaceFirst("^\\[\\d+\\]\\s*", "");
    return switch (e.getErrorCode()) {
      case ENOENT -> new NoSuchFileException(file, null, reason);
      case EACCES, EPERM -> new AccessDeniedException(file, null, reason);
      case EEXIST -> new FileAlreadyExistsException(file, null, reason);
      default -> new FileSystemException(file, null, reason);
    };
  }
}
