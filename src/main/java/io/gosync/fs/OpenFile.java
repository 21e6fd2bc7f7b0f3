package io.gosync.fs;

import com.sun.jna.LastErrorException;

import java.io.IOException;
import java.nio.file.Path;

import static io.gosync.fs.Libc.call;

/**
 * A file opened by handle (see {@link Dir#create}, {@link Dir#open}). Its bytes are read and
 * written through {@link #path}, the process's own /proc/self/fd/N: opening that reaches this
 * very file, whatever has happened to its name since, so Java's channels and Vert.x's AsyncFile
 * work on it unchanged. Metadata and fsync go through the descriptor.
 */
public final class OpenFile implements Handle, AutoCloseable {

  private final int fd;

  OpenFile(int fd) {
    this.fd = fd;
  }

  /** A path that opens this file (needs /proc, as on every Linux host gosync runs on). */
  public Path path() {
    return Path.of("/proc/self/fd/" + fd);
  }

  @Override
  public Stat stat() throws IOException {
    return Dir.statOf(fd);
  }

  @Override
  public void setMode(int mode) throws IOException {
    call("fchmod", new byte[0], () -> Libc.fchmod(fd, mode & 07777));
  }

  @Override
  public void setTime(Timestamp mtime) throws IOException {
    call("futimens", new byte[0], () -> Libc.futimens(fd, times(mtime)));
  }

  /** Makes the file's data and metadata durable. */
  @Override
  public void sync() throws IOException {
    call("fsync", new byte[0], () -> Libc.fsync(fd));
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
