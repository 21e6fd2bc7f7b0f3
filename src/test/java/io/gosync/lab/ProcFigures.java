package io.gosync.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux counts for a process, read from /proc: its CPU time, the CPU time of the children it
 * has waited for, its peak resident set and the bytes it read. The lab's daemons and the loopback's
 * (and the rsync processes beside them) are measured the same way.
 */
final class ProcFigures {

  /** Linux reports process CPU time in USER_HZ ticks, which is 100 on every platform Java runs on. */
  static final int TICKS_PER_SECOND = 100;

  private ProcFigures() {
  }

  /** CPU time (user + system) the process has used so far, in ticks. */
  static long cpuTicks(long pid) throws IOException {
    String[] fields = statFields(pid);
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /**
   * CPU time (user + system) of the children the process has waited for, in ticks: what an rsync
   * daemon's connection processes (receiver and generator) used, once they have exited.
   */
  static long waitedChildrenTicks(long pid) throws IOException {
    String[] fields = statFields(pid);
    return Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
  }

  /** The peak resident set so far (VmHWM), in KiB. */
  static long peakRssKiB(long pid) throws IOException {
    for (String line : Files.readAllLines(proc(pid, "status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmHWM in the status of process " + pid);
  }

  /**
   * Bytes the process has read with read(2) and its kin (rchar): from files, page cache or not, and from
   * sockets. A daemon that re-reads a tree to hash it shows the tree's size here; one that does not shows
   * only its messages and the classes it loads.
   */
  static long readBytes(long pid) throws IOException {
    for (String line : Files.readAllLines(proc(pid, "io"))) {
      if (line.startsWith("rchar:")) {
        return Long.parseLong(line.substring("rchar:".length()).strip());
      }
    }
    throw new IOException("no rchar in the io of process " + pid);
  }

  static double seconds(long ticks) {
    return ticks / (double) TICKS_PER_SECOND;
  }

  /** The fields after the command name, which is in parentheses and may hold spaces: utime is [11], stime [12]. */
  private static String[] statFields(long pid) throws IOException {
    String stat = Files.readString(proc(pid, "stat"));
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
  }

  private static Path proc(long pid, String file) {
    return Path.of("/proc", String.valueOf(pid), file);
  }
}
