package io.gosync.lab;

import io.gosync.cli.FreePorts;
import io.gosync.lab.LoopbackSample.Cpu;
import io.gosync.lab.LoopbackSample.Versus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The loopback scenarios of issue 11: gosync's three daemons on 127.0.0.1 ({@link LoopbackCluster}) against
 * rsync daemons on 127.0.0.1, in one run, nothing shaped, so nothing hides the data path. Each scenario starts
 * its own cluster: its first sync is the one a fresh daemon does (JIT and hash cache empty), reported apart
 * from the median of --runs warm ones, which follow --warmups untimed syncs. gosync syncs with fan-out 1 and delete (a chain n0 → n1 → n2 for two
 * targets); rsync pushes with {@code rsync -a --delete}, one push per target, in parallel. Every copy of every
 * run is compared whole with its source before its time counts.
 */
final class Loopback {

  private static final String BIG = "/data/big";
  private static final String TREE = "/data/tree";
  private static final String MANY = "/data/many";
  /** Small files of 1–16 KiB: 100,000 of them are 0.8 GiB, so the source and both tools' copies fit a disk. */
  private static final int SMALL_MIN = 1 << 10;
  private static final int SMALL_MAX = 16 << 10;
  /** A copy of /usr/share (665 MiB) takes a minute on a busy disk; a larger --tree may take several. */
  private static final Duration COPY_WITHIN = Duration.ofMinutes(30);
  private static final String CHAIN = "gosync chain n0 → n1 → n2";

  private final Path work;
  private final int runs;
  private final int warmups;
  private final long seed;
  private final Results results;

  Loopback(Path work, int runs, int warmups, long seed, Results results) {
    this.work = work;
    this.runs = runs;
    this.warmups = warmups;
    this.seed = seed;
    this.results = results;
  }

  /** One random file of {@code mib} MiB to two targets by chain, against one rsync copy; durable or not. */
  void bigFile(long mib, boolean durable) throws IOException, InterruptedException {
    String name = "big file, " + (durable ? "durable" : "not durable");
    System.out.printf("loopback: %d MiB file, durable landing %s%n", mib, durable ? "on" : "off");
    Path base = work.resolve(durable ? "big-durable" : "big");
    try (LoopbackCluster cluster = LoopbackCluster.start(base, durable);
         RsyncDaemon rsyncd = RsyncDaemon.onLoopback(base, "rsyncd", base.resolve("rsync"), FreePorts.next())) {
      new DataSet(mib << 20, 0, 0, 0, 0, 0, seed).write(cluster.path(0, BIG));
      SourceTree source = SourceTree.of(cluster.path(0, BIG));
      List<LoopbackSample> gosync = freshAndWarm(cluster, BIG, 2, source, name);
      LoopbackSample rsync = rsync(List.of(rsyncd), source, durable ? List.of("--fsync") : List.of(), true, name);
      String goal = durable ? "" : "≥ 0.7";
      gosync.forEach(sample -> results.add(sample.versus(Versus.faster(sample, rsync, "throughput ÷ rsync's", goal))));
      results.add(rsync);
      notePeaks(cluster, name);
      wipe(cluster.path(0, BIG), cluster.path(1, BIG), cluster.path(2, BIG), rsyncd.path("big"));
    }
  }

  /**
   * A copy of a real tree to two targets: cold (fresh, then warm), nothing changed, and nothing changed once
   * more right after the source daemon restarted (what a persistent hash cache is for: the source's read
   * bytes show whether it hashed the tree again); rsync pushes to two rsync daemons in parallel beside each.
   */
  void tree(Path dir) throws IOException, InterruptedException {
    System.out.println("loopback: a copy of " + dir + " to 2 targets");
    Path base = work.resolve("tree");
    try (LoopbackCluster cluster = LoopbackCluster.start(base, false);
         RsyncDaemon first = RsyncDaemon.onLoopback(base, "rsyncd-1", base.resolve("rsync-1"), FreePorts.next());
         RsyncDaemon second = RsyncDaemon.onLoopback(base, "rsyncd-2", base.resolve("rsync-2"), FreePorts.next())) {
      Path root = Files.createDirectories(cluster.path(0, TREE));
      Shell.run(COPY_WITHIN, List.of("cp", "-a", dir + "/.", root.toString()));
      SourceTree source = SourceTree.of(root);
      List<RsyncDaemon> rsyncds = List.of(first, second);
      List<LoopbackSample> cold = freshAndWarm(cluster, TREE, 2, source, "tree, cold");
      LoopbackSample rsyncCold = rsync(rsyncds, source, List.of(), true, "tree, cold");
      LoopbackSample same = report(gosync(cluster, TREE, 2, source, false, runs, "tree, nothing changed, warm daemons"));
      LoopbackSample rsyncSame = rsync(rsyncds, source, List.of(), false, "tree, nothing changed");
      cluster.restartSource();
      LoopbackSample restarted = report(gosync(cluster, TREE, 2, source, false, 1, "tree, nothing changed, source restarted"));
      String reported = Results.reportedReads(cluster.lastReport());
      results.note(String.format(Locale.ROOT, "The first no-change re-sync of the tree after the source daemon's restart "
          + "took %.2f s; the source daemon read %.1f MiB (rchar) of a %.1f MiB tree%s.", restarted.median(),
          restarted.readMiB(), source.bytes() / 1048576.0, reported.isEmpty() ? "" : "; its task report: " + reported));
      cold.forEach(sample -> results.add(sample.versus(Versus.time(sample, rsyncCold, "≤ 1"))));
      results.add(rsyncCold);
      results.add(same.versus(Versus.time(same, rsyncSame, "≤ 1")));
      results.add(restarted.versus(Versus.time(restarted, rsyncSame, "≤ 1")));
      results.add(rsyncSame);
      notePeaks(cluster, "tree (the source's after its restart)");
      wipe(root, cluster.path(1, TREE), cluster.path(2, TREE), first.path("tree"), second.path("tree"));
    }
  }

  /** {@code count} seeded files of 1–16 KiB in nested directories to one target, cold: files per second. */
  void manyFiles(int count) throws IOException, InterruptedException {
    System.out.printf("loopback: %,d small files to 1 target%n", count);
    Path base = work.resolve("many");
    try (LoopbackCluster cluster = LoopbackCluster.start(base, false);
         RsyncDaemon rsyncd = RsyncDaemon.onLoopback(base, "rsyncd", base.resolve("rsync"), FreePorts.next())) {
      // The data set always writes its big file; at 0 bytes it is one more (empty) file, counted as one.
      new DataSet(0, count, SMALL_MIN, SMALL_MAX, 0, 0, seed).write(cluster.path(0, MANY));
      SourceTree source = SourceTree.of(cluster.path(0, MANY));
      List<LoopbackSample> gosync = freshAndWarm(cluster, MANY, 1, source, "small files, cold");
      LoopbackSample rsync = rsync(List.of(rsyncd), source, List.of(), true, "small files, cold");
      gosync.forEach(sample -> results.add(sample.versus(Versus.faster(sample, rsync, "files/s ÷ rsync's", "≥ 1"))));
      results.add(rsync);
      notePeaks(cluster, "small files");
      wipe(cluster.path(0, MANY), cluster.path(1, MANY), rsyncd.path("many"));
    }
  }

  /**
   * The first cold sync of a cluster's life, then --warmups untimed ones (the JIT is still at work for the next
   * few: in a first run the warm times fell 6.9 → 4.9 → 3.9 s for 1 GiB), then --runs more.
   */
  private List<LoopbackSample> freshAndWarm(LoopbackCluster cluster, String path, int targets, SourceTree source, String name)
      throws IOException, InterruptedException {
    LoopbackSample fresh = report(gosync(cluster, path, targets, source, true, 1, name + ", fresh daemons"));
    for (int warmUp = 1; warmUp <= warmups; warmUp++) {
      double took = gosync(cluster, path, targets, source, true, 1, name + ", warm-up").seconds().get(0);
      System.out.printf("  warm-up %d of %d: %.2f s%n", warmUp, warmups, took);
    }
    LoopbackSample warm = report(gosync(cluster, path, targets, source, true, runs, name + ", warm daemons"));
    return List.of(fresh, warm);
  }

  /**
   * gosync syncs {@code path} from node0 to node1..node{targets}, {@code count} times, the copies removed
   * before each when {@code cold}; every copy is verified after each run. CPU is each daemon's over all runs.
   */
  private LoopbackSample gosync(LoopbackCluster cluster, String path, int targets, SourceTree source, boolean cold,
                                int count, String scenario) throws IOException, InterruptedException {
    List<Double> seconds = new ArrayList<>();
    long[] ticks = new long[LoopbackCluster.DAEMONS];
    long read = 0;
    for (int run = 0; run < count; run++) {
      if (cold) {
        wipeTargets(cluster, path, targets);
      }
      long[] before = cluster.cpuTicks();
      long readBefore = cluster.sourceReadBytes();
      seconds.add(cluster.sync(path, path, targets));
      read += cluster.sourceReadBytes() - readBefore;
      long[] after = cluster.cpuTicks();
      for (int node = 0; node < ticks.length; node++) {
        ticks[node] += after[node] - before[node];
      }
      for (int node = 1; node <= targets; node++) {
        source.verify(cluster.path(node, path));
      }
    }
    double gib = count * source.gib();
    Cpu cpu = Cpu.gosync(ProcFigures.seconds(ticks[0]) / gib, targets > 1 ? ProcFigures.seconds(ticks[1]) / gib : Double.NaN,
        ProcFigures.seconds(ticks[targets]) / gib);
    String tool = targets == 2 ? CHAIN : "gosync n0 → n1";
    return new LoopbackSample(scenario, tool, targets, seconds, source.bytes(), source.files(), cpu,
        read / (double) (1 << 20) / count, null);
  }

  /** rsync pushes the source to every daemon at once, --runs times (the copies removed before each when cold). */
  private LoopbackSample rsync(List<RsyncDaemon> daemons, SourceTree source, List<String> options, boolean cold, String scenario)
      throws IOException, InterruptedException {
    String dir = source.root().getFileName().toString();
    List<List<String>> pushes = new ArrayList<>();
    for (RsyncDaemon daemon : daemons) {
      List<String> push = new ArrayList<>(List.of("rsync", "-a", "--delete"));
      push.addAll(options);
      push.addAll(List.of(source.root() + "/", daemon.url(dir)));
      pushes.add(push);
    }
    List<Double> seconds = new ArrayList<>();
    long senderTicks = 0;
    long receiverTicks = 0;
    for (int run = 0; run < runs; run++) {
      if (cold) {
        wipe(daemons.stream().map(daemon -> daemon.path(dir)).toArray(Path[]::new));
      }
      long receivers = receiverTicks(daemons);
      RsyncDaemon.Push push = RsyncDaemon.push(work, pushes);
      seconds.add(push.seconds());
      senderTicks += push.senderTicks();
      receiverTicks += receiverTicks(daemons) - receivers;
      for (RsyncDaemon daemon : daemons) {
        source.verify(daemon.path(dir));
      }
    }
    double gib = runs * daemons.size() * source.gib();
    Cpu cpu = Cpu.rsync(ProcFigures.seconds(senderTicks) / gib, ProcFigures.seconds(receiverTicks) / gib);
    String tool = ("rsync -a --delete " + String.join(" ", options)).strip() + (daemons.size() > 1 ? ", " + daemons.size() + " in parallel" : "");
    return report(new LoopbackSample(scenario, tool, daemons.size(), seconds, source.bytes(), source.files(), cpu, Double.NaN, null));
  }

  private void notePeaks(LoopbackCluster cluster, String scenario) throws IOException {
    List<Long> peaks = cluster.peakRssMiB();
    results.note(String.format(Locale.ROOT, "Loopback, %s: daemon peak RSS (VmHWM) n0 %d, n1 %d, n2 %d MiB.",
        scenario, peaks.get(0), peaks.get(1), peaks.get(2)));
  }

  private static long receiverTicks(List<RsyncDaemon> daemons) throws IOException, InterruptedException {
    long ticks = 0;
    for (RsyncDaemon daemon : daemons) {
      ticks += daemon.receiverTicks();
    }
    return ticks;
  }

  private static void wipeTargets(LoopbackCluster cluster, String path, int targets) throws IOException {
    for (int node = 1; node <= targets; node++) {
      wipe(cluster.path(node, path));
    }
  }

  /** rm -rf: names need not be valid in this JVM's encoding, and a tree of 100,000 files goes in a second. */
  private static void wipe(Path... paths) throws IOException {
    List<String> command = new ArrayList<>(List.of("rm", "-rf", "--"));
    for (Path path : paths) {
      command.add(path.toString());
    }
    Shell.run(COPY_WITHIN, command);
  }

  private static LoopbackSample report(LoopbackSample sample) {
    System.out.printf("  %-45s %-36s runs %s; CPU s/GiB %s%n", sample.scenario(), sample.tool(),
        sample.seconds().stream().map(s -> String.format("%.2f s", s)).toList(), sample.cpu().describe());
    return sample;
  }
}
