package io.gosync.testkit;

import com.sun.jna.Native;
import com.sun.jna.Platform;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The attacker of rsync CVE-2024-12747's shape: a thread that exchanges two names atomically
 * ({@code renameat2(RENAME_EXCHANGE)}, which the JDK lacks), as fast as it can, until closed. With
 * a directory inside the destination and a symlink to a directory outside it, a path that was
 * checked once may lead outside the next instant.
 */
public final class Swapper implements AutoCloseable {

  private static final int AT_FDCWD = -100;
  private static final int RENAME_EXCHANGE = 2;
  /** After a failed exchange (one of the names is gone: the sync removed it), wait this long, not spin. */
  private static final long PAUSE_AFTER_FAILURE_NANOS = 100_000;

  static {
    Native.register(Platform.C_LIBRARY_NAME);
  }

  private static native int renameat2(int olddirfd, String oldpath, int newdirfd, String newpath, int flags);

  private final String one;
  private final String other;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private volatile long swaps;

  private Swapper(Path one, Path other) {
    this.one = one.toString();
    this.other = other.toString();
    this.thread = new Thread(this::swap, "swapper " + one.getFileName() + " <-> " + other.getFileName());
    thread.setDaemon(true);
  }

  /** Starts exchanging the two names (both must exist, on one file system). */
  public static Swapper start(Path one, Path other) {
    Swapper swapper = new Swapper(one, other);
    swapper.thread.start();
    return swapper;
  }

  private void swap() {
    long done = 0;
    while (running.get()) {
      if (renameat2(AT_FDCWD, one, AT_FDCWD, other, RENAME_EXCHANGE) == 0) {
        swaps = ++done;
      } else {
        LockSupport.parkNanos(PAUSE_AFTER_FAILURE_NANOS);
      }
    }
  }

  /** How many exchanges succeeded: a test shows with it that the attack really ran. */
  public long swaps() {
    return swaps;
  }

  @Override
  public void close() {
    running.set(false);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
