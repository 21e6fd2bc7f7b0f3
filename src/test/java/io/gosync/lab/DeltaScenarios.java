package io.gosync.lab;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Issue 13 on a running lab: a change to a source whose targets are in sync, then gosync (fan-out 1) and rsync
 * pushed to all N targets at once, side by side in each run, each copy verified whole. Beside each time: the
 * bytes the source host sent on its link during the sync, and the bytes the change modified or added, so that
 * the goal (source link at most 1.2 × changed bytes, plus block lists) can be read off.
 */
final class DeltaScenarios {

  /** The targets of the edits to one big file; the re-sync of a tree runs on each --targets count of at least this. */
  static final int TARGETS = 4;
  /** Issue 13's goal for gosync, in its words. */
  static final String GOAL = "source link ≤ 1.2 × changed bytes + block lists";
  private static final double MIB = 1 << 20;

  /** A change to the source tree in round {@code round} (each round other bytes); returns the bytes it changed. */
  @FunctionalInterface
  interface Change {
    long make(Path source, int round) throws IOException;
  }

  /**
   * One sync: wall seconds, bytes the source host sent on its link ({@link Lab#sentBytes}: everything it sent,
   * data, TLS, headers and control alike), and CPU ticks of the source's side and of the N targets' side.
   */
  record RunFigures(double seconds, long sentBytes, long sourceTicks, long targetTicks) {
    double sentMiB() {
      return sentBytes / MIB;
    }
  }

  /** One tool's runs of one change. */
  record Sample(String tool, List<RunFigures> runs) {
    double median() {
      return Scenarios.median(runs.stream().map(RunFigures::seconds).toList());
    }

    double sentMiB() {
      return Scenarios.median(runs.stream().map(RunFigures::sentMiB).toList());
    }

    /** The source's side's CPU seconds, per run. */
    double sourceCpuSeconds() {
      return perRun(RunFigures::sourceTicks);
    }

    /** The N targets' side's CPU seconds together, per run. */
    double targetCpuSeconds() {
      return perRun(RunFigures::targetTicks);
    }

    private double perRun(ToLongFunction<RunFigures> ticks) {
      return ProcFigures.seconds(runs.stream().mapToLong(ticks).sum()) / runs.size();
    }
  }

  /** A change synced to N targets in each run by both tools, and the bytes it changed in each run. */
  record SideBySide(String change, int targets, List<Long> changedBytes, Sample gosync, Sample rsync) {
    double changedMiB() {
      return Scenarios.median(changedBytes.stream().map(bytes -> bytes / MIB).toList());
    }

    /** gosync's time over rsync's, of the medians. */
    double ratio() {
      return gosync.median() / rsync.median();
    }
  }

  private final Lab lab;
  private final Scenarios scenarios;
  private final int runs;
  private final int warmups;
  /** rsync's options beside -a --delete: --fsync beside durable landing, since every copy shares the one disk. */
  private final List<String> rsyncOptions;
  /** Counts every change made, so that no two rounds write the same bytes, whatever case or N they belong to. */
  private int round;

  DeltaScenarios(Lab lab, Scenarios scenarios, int runs, int warmups, List<String> rsyncOptions) {
    this.lab = lab;
    this.scenarios = scenarios;
    this.runs = runs;
    this.warmups = warmups;
    this.rsyncOptions = List.copyOf(rsyncOptions);
  }

  /** The README's re-sync case (1 % of the small files rewritten, 1 MiB appended to the big file) to each N. */
  List<SideBySide> smallFilesAndAppend(DataSet tree, List<Integer> counts) throws IOException, InterruptedException {
    return measureCase(tree, "1% + 1 MiB", counts, tree::change);
  }

  /** A block of the big file's middle overwritten in place, to {@link #TARGETS} targets. */
  SideBySide overwriteMiddle(DataSet bigFile) throws IOException, InterruptedException {
    return measureCase(bigFile, String.format("1 MiB in the middle of %d MiB", bigFile.bigBytes() >> 20),
        List.of(TARGETS), bigFile::overwriteMiddle).get(0);
  }

  /** 1 KiB inserted near the big file's start, to {@link #TARGETS} targets. */
  SideBySide insertNearStart(DataSet bigFile) throws IOException, InterruptedException {
    return measureCase(bigFile, String.format("%d KiB inserted at %d KiB of %d MiB", DataSet.INSERTED >> 10,
        DataSet.INSERT_AT >> 10, bigFile.bigBytes() >> 20), List.of(TARGETS), bigFile::insertNearStart).get(0);
  }

  /**
   * Writes the case's source, measures its change to each N in turn, then removes the source and every copy: the
   * next case starts from empty targets, and the lab's disk holds one case at a time. A case that fails keeps its
   * trees, to be looked at.
   */
  private List<SideBySide> measureCase(DataSet data, String change, List<Integer> counts, Change edit)
      throws IOException, InterruptedException {
    System.out.printf("delta: writing the source (one %d MiB file, %d small files)%n", data.bigBytes() >> 20,
        data.smallFiles());
    data.write(lab.path(0, Scenarios.SRC));
    List<SideBySide> measured = new ArrayList<>();
    for (int n : counts) {
      measured.add(measure(change, n, edit));
    }
    Scenarios.removeTree(lab.path(0, Scenarios.SRC));
    scenarios.wipe(lab.hosts() - 1, Scenarios.GOSYNC_DST);
    scenarios.wipe(lab.hosts() - 1, Scenarios.RSYNC_DST);
    return measured;
  }

  /**
   * Brings targets 1..n in sync with both tools (untimed), runs {@code warmups} untimed rounds of the change (the
   * cold syncs never run the delta path, which a daemon in service has compiled), then {@code runs} timed ones.
   * In every round the change is made once, then synced by gosync and by rsync, each copy verified.
   */
  private SideBySide measure(String change, int n, Change edit) throws IOException, InterruptedException {
    System.out.printf("  %s to %d targets: bringing them in sync%n", change, n);
    gosync(n);
    rsync(n);
    Path source = lab.path(0, Scenarios.SRC);
    for (int warmup = 0; warmup < warmups; warmup++) {
      edit.make(source, round++);
      System.out.printf("  warm-up %d of %d: gosync %.2f s, rsync %.2f s%n", warmup + 1, warmups, gosync(n).seconds(),
          rsync(n).seconds());
    }
    List<Long> changed = new ArrayList<>();
    List<RunFigures> gosyncRuns = new ArrayList<>();
    List<RunFigures> rsyncRuns = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      changed.add(edit.make(source, round++));
      gosyncRuns.add(gosync(n));
      rsyncRuns.add(rsync(n));
    }
    return report(new SideBySide(change, n, changed, new Sample("gosync n=1", gosyncRuns), new Sample(("rsync " + String.join(" ", rsyncOptions)).strip(), rsyncRuns)));
  }

  /** gosync's chain to targets 1..n; the source's side is its daemon (the CLI only asks it), the targets' theirs. */
  private RunFigures gosync(int n) throws IOException, InterruptedException {
    long sent = lab.sentBytes(0);
    long source = lab.cpuTicks(0);
    long targets = scenarios.targetTicks(n);
    double seconds = scenarios.gosync(n, 1);
    RunFigures figures = new RunFigures(seconds, lab.sentBytes(0) - sent, lab.cpuTicks(0) - source,
        scenarios.targetTicks(n) - targets);
    scenarios.verify(n, Scenarios.GOSYNC_DST);
    return figures;
  }

  /**
   * rsync pushed to targets 1..n at once; the source's side is the rsync clients (the senders), counted as this
   * JVM's waited-for children: read just around the pushes, so that nothing else this JVM started (the link
   * counter's reads among them) ends in between. The targets' side is their daemons' receivers and generators.
   */
  private RunFigures rsync(int n) throws IOException, InterruptedException {
    long self = ProcessHandle.current().pid();
    long sent = lab.sentBytes(0);
    long receivers = scenarios.rsyncReceiverTicks(n);
    long senders = ProcFigures.waitedChildrenTicks(self);
    double seconds = scenarios.rsync(n, rsyncOptions);
    long senderTicks = ProcFigures.waitedChildrenTicks(self) - senders;
    RunFigures figures = new RunFigures(seconds, lab.sentBytes(0) - sent, senderTicks,
        scenarios.rsyncReceiverTicks(n) - receivers);
    scenarios.verify(n, Scenarios.RSYNC_DST);
    return figures;
  }

  private static SideBySide report(SideBySide measured) {
    for (Sample sample : List.of(measured.gosync(), measured.rsync())) {
      System.out.printf("  %-34s %-10s N=%-2d changed %.3f MiB; runs %s; source link MiB %s%n", measured.change(),
          sample.tool(), measured.targets(), measured.changedMiB(),
          sample.runs().stream().map(run -> String.format("%.2f s", run.seconds())).toList(),
          sample.runs().stream().map(run -> String.format("%.2f", run.sentMiB())).toList());
    }
    System.out.printf("  gosync / rsync: %.2f%n", measured.ratio());
    return measured;
  }
}
