package io.gosync.fs;

import com.sun.jna.LastErrorException;

import java.io.IOException;

import static io.gosync.fs.Libc.call;
import static io.gosync.fs.Libc.z;

/** An open file descriptor, file or directory: what is read and set through the descriptor itself. */
abstract class Descriptor implements Handle, AutoCloseable {

  private static final byte[] NO_NAME = new byte[0];

  final int fd;

  Descriptor(int fd) {
    this.fd = fd;
  }

  @Override
  public Stat stat() throws IOException {
    byte[] buffer = new byte[Stat.STATX_BYTES];
    call("fstat", NO_NAME, () -> Libc.statx(fd, z(NO_NAME), Libc.AT_EMPTY_PATH | Libc.AT_SYMLINK_NOFOLLOW,
        Libc.STATX_BASIC_STATS, buffer));
    return Stat.of(buffer);
  }

  @Override
  public void setMode(int mode) throws IOException {
    call("fchmod", NO_NAME, () -> Libc.fchmod(fd, mode & 07777));
  }

  /** Sets the mtime; atime is left alone. */
  @Override
  public void setTime(Timestamp mtime) throws IOException {
    call("futimens", NO_NAME, () -> Libc.futimens(fd, times(mtime)));
  }

  @Override
  public void sync() throws IOException {
    call("fsync", NO_NAME, () -> Libc.fsync(fd));
  }

  /** Closes the descriptor; never throws (a failed close has nothing left to undo). */
  @Override
  public void close() {
    try {
      Libc.close(fd);
    } catch (LastErrorException e) {
      // EIO on close of a descriptor we only read or already synced: nothing to do
    }
  }

  /** struct timespec[2] for utimensat and futimens: atime left alone, then mtime. */
  static long[] times(Timestamp mtime) {
    return new long[] {0, Libc.UTIME_OMIT, mtime.seconds(), mtime.nanos()};
  }
}
