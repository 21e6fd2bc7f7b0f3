package io.gosync.lab;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * One loopback measurement: gosync or rsync making {@code copies} copies of one tree, each run timed.
 *
 * @param scenario  what was copied, and in what state ("1024 MiB file, fresh daemons")
 * @param tool      who copied it, and how ("gosync chain n0 → n1 → n2", "rsync -a")
 * @param copies    copies made in each run (targets)
 * @param seconds   each run's wall time
 * @param bytes     file bytes of one copy
 * @param files     regular files of one copy
 * @param cpu       CPU seconds per GiB of one copy, by role
 * @param readMiB   MiB the source daemon read during the run (NaN: not measured)
 * @param versus    the ratio to rsync that a goal of issue 11 is about (null for rsync's own rows)
 */
record LoopbackSample(String scenario, String tool, int copies, List<Double> seconds, long bytes, long files, Cpu cpu,
                      double readMiB, Versus versus) {

  /**
   * CPU seconds per GiB of one copy of each role (NaN where a run has no such role): gosync's source, relay
   * and leaf daemons, or rsync's sender (the clients) as source and its receiver (the daemons' connection
   * processes: receiver and generator) as leaf. Each is the role's CPU over all runs over the GiB of the
   * copies it handled.
   */
  record Cpu(double source, double relay, double leaf, boolean rsync) {
    static Cpu gosync(double source, double relay, double leaf) {
      return new Cpu(source, relay, leaf, false);
    }

    static Cpu rsync(double sender, double receiver) {
      return new Cpu(sender, Double.NaN, receiver, true);
    }

    String describe() {
      return rsync ? String.format(Locale.ROOT, "sender %.2f + receiver %.2f = %.2f", source, leaf, source + leaf)
          : String.join(", ", Stream.of(role("source", source), role("relay", relay), role("leaf", leaf))
              .filter(text -> !text.isEmpty()).toList());
    }

    private static String role(String role, double value) {
      return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%s %.2f", role, value);
    }
  }

  /** gosync against rsync in the terms of the goal: a value, what it is, and the goal it is held to. */
  record Versus(double value, String meaning, String goal) {
    /** Throughput (or files per second) over rsync's: rsync's time over gosync's. */
    static Versus faster(LoopbackSample gosync, LoopbackSample rsync, String meaning, String goal) {
      return new Versus(rsync.median() / gosync.median(), meaning, goal);
    }

    /** Time over rsync's. */
    static Versus time(LoopbackSample gosync, LoopbackSample rsync, String goal) {
      return new Versus(gosync.median() / rsync.median(), "time ÷ rsync's", goal);
    }
  }

  LoopbackSample versus(Versus ratio) {
    return new LoopbackSample(scenario, tool, copies, seconds, bytes, files, cpu, readMiB, ratio);
  }

  LoopbackSample read(double mib) {
    return new LoopbackSample(scenario, tool, copies, seconds, bytes, files, cpu, mib, versus);
  }

  double median() {
    return Scenarios.median(seconds);
  }

  /** Decimal megabytes of file bytes per second, per copy, as rsync and the issue count them. */
  double megabytesPerSecond() {
    return bytes / 1e6 / median();
  }

  double filesPerSecond() {
    return files / median();
  }
}
