package io.gosync.lab;


import io.gosync.scan.TreeSnapshot;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the benchmark measures, on a running lab: gosync through its CLI on the source, and rsync
 * pushed from the source to an rsync daemon in each target. Every figure is wall time as an
 * operator sees it, process start included; every scenario ends by checking each copy whole.
 */
final class Scenarios {

  static final String SRC = "/data/src";
  static final String GOSYNC_DST = "/data/gosync";
  /** rsync's module is each target's /data; the copy goes to /data/rsync. */
  static final String RSYNC_DST = "/data/rsync";
  private static final Duration WITHIN = Duration.ofMinutes(30);
  private static final double GIB = 1 << 30;

  /**
   * One measured scenario: all its runs; for gosync also the source daemon's CPU seconds per GiB
   * it sent, the target daemons' CPU seconds per GiB each of them landed, and the MiB the source
   * daemon read per run (each NaN where not measured).
   */
  record Sample(String scenario, String tool, int targets, List<Double> seconds, double cpuPerGiB, double targetCpuPerGiB,
                double readMiB) {
    Sample(String scenario, String tool, int targets, List<Double> seconds) {
      this(scenario, tool, targets, seconds, Double.NaN, Double.NaN, Double.NaN);
    }

    double median() {
      return Scenarios.median(seconds);
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }

  private final Lab lab;
  private final int runs;
  /** The rsync daemon of host i at i - 1, once started. */
  private final List<Process> rsyncDaemons = new ArrayList<>();

  Scenarios(Lab lab, int runs) {
    this.lab = lab;
    this.runs = runs;
  }

  /** One rsync daemon per target, with a writable module over the target's /data. */
  void startRsyncDaemons() throws IOException, InterruptedException {
    for (int host = 1; host < lab.hosts(); host++) {
      Path config = RsyncDaemon.writeConfig(lab.work().resolve("rsyncd-" + lab.name(host) + ".conf"),
          lab.work().resolve("rsyncd-" + lab.name(host) + ".pid"), lab.path(host, Lab.DATA));
      rsyncDaemons.add(lab.spawn(host, lab.work().resolve("rsyncd-" + lab.name(host) + ".log"),
          List.of("rsync", "--daemon", "--no-detach", "--address=" + lab.address(host), "--config=" + config)));
    }
    Thread.sleep(500); // rsync binds at once; a missing rsync shows in the first push
  }

  /**
   * Untimed chains to every target. A daemon in service has long been compiled by the JIT; a
   * lab's daemons start fresh, and a fresh one burns seconds of CPU compiling during its first
   * syncs, which on 2 cores shared by 9 JVMs slows every node of a chain.
   */
  void warmUp(int n, int syncs) throws IOException, InterruptedException {
    for (int sync = 0; sync < syncs; sync++) {
      wipe(n, GOSYNC_DST);
      System.out.printf("  warm-up %d of %d: %.1f s%n", sync + 1, syncs, gosync(n, 1));
    }
  }

  Sample coldGosync(String scenario, int n, int fanout) throws IOException, InterruptedException {
    return coldGosync(scenario, n, fanout, runs);
  }

  /** Cold syncs, {@code count} of them (one, for the first sync of fresh daemons). */
  Sample coldGosync(String scenario, int n, int fanout, int count) throws IOException, InterruptedException {
    List<Double> seconds = new ArrayList<>();
    long sourceTicks = 0;
    long targetTicks = 0;
    double sentGiB = 0;
    for (int run = 0; run < count; run++) {
      wipe(n, GOSYNC_DST);
      long source = lab.cpuTicks(0);
      long targets = targetTicks(n);
      long sent = lab.sentBytes(0);
      seconds.add(gosync(n, fanout));
      sourceTicks += lab.cpuTicks(0) - source;
      targetTicks += targetTicks(n) - targets;
      sentGiB += (lab.sentBytes(0) - sent) / GIB;
    }
    verify(n, GOSYNC_DST);
    double landedGiB = count * (double) n * DataSet.fileBytes(lab.path(0, SRC)) / GIB;
    return report(new Sample(scenario, "gosync n=" + fanout, n, seconds,
        ProcFigures.seconds(sourceTicks) / sentGiB, ProcFigures.seconds(targetTicks) / landedGiB, Double.NaN));
  }

  /** rsync -a --delete with these options added (--fsync, say); they are part of the tool's name in the results. */
  Sample coldRsync(String scenario, int n, List<String> options) throws IOException, InterruptedException {
    List<Double> seconds = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      wipe(n, RSYNC_DST);
      seconds.add(rsync(n, options));
    }
    verify(n, RSYNC_DST);
    return report(new Sample(scenario, ("rsync " + String.join(" ", options)).strip(), n, seconds));
  }

  /** With nothing changed, then after 1 % of the small files change and the big file grows 1 MiB. */
  List<Sample> resyncs(int n, DataSet data) throws IOException, InterruptedException {
    gosync(n, 1);
    rsync(n, List.of());
    List<Double> gosyncSame = new ArrayList<>();
    List<Double> rsyncSame = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      gosyncSame.add(gosync(n, 1));
      rsyncSame.add(rsync(n, List.of()));
    }
    List<Double> gosyncChanged = new ArrayList<>();
    List<Double> rsyncChanged = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      data.change(lab.path(0, SRC), run);
      gosyncChanged.add(gosync(n, 1));
      rsyncChanged.add(rsync(n, List.of()));
    }
    verify(n, GOSYNC_DST);
    verify(n, RSYNC_DST);
    return List.of(
        report(new Sample("no change", "gosync n=1", n, gosyncSame)),
        report(new Sample("no change", "rsync", n, rsyncSame)),
        report(new Sample("1% + 1 MiB", "gosync n=1", n, gosyncChanged)),
        report(new Sample("1% + 1 MiB", "rsync", n, rsyncChanged)));
  }

  /**
   * The first no-change re-sync after the source daemon restarts (its JIT and in-memory hash cache start
   * over), one run: its time, and the MiB the source daemon read meanwhile (all of the tree, if it hashed
   * everything again). Call it after {@link #resyncs}, which leaves every target up to date.
   */
  Sample noChangeAfterSourceRestart(int n, Results results) throws IOException, InterruptedException {
    // The last runs changed files just before they synced them, and the source's hash cache keeps no hash
    // taken while a file's times were under 2 s old (scan/HashCache's racy rule). A daemon in service has
    // synced since: so does this one, untimed, once the files have settled, before it is restarted.
    Thread.sleep(TimeUnit.SECONDS.toMillis(3));
    sync(n, 1);
    System.out.println("  restarting the source daemon");
    lab.restartDaemon(0);
    long read = lab.readBytes(0);
    Lab.Run run = sync(n, 1);
    double mib = (lab.readBytes(0) - read) / 1048576.0;
    verify(n, GOSYNC_DST);
    String reported = Results.reportedReads(run.json());
    if (!reported.isEmpty()) {
      results.note("The no-change re-sync after the source daemon's restart: its task report says " + reported + ".");
    }
    return report(new Sample("no change, source restarted", "gosync n=1", n, List.of(run.took().toMillis() / 1000.0),
        Double.NaN, Double.NaN, mib));
  }

  /**
   * Issue 12: cold chains to n targets in which the daemons of the relays {@code victims} (adjacent, from h3) are
   * killed with SIGKILL once the node below the last of them has landed about 40 % of the data. Every live target
   * must end ok and equal to the source, the killed ones failed; they are started again after each run. Compare
   * with a cold chain's time.
   */
  Killed relaysKilled(String scenario, int n, List<Integer> victims) throws IOException, InterruptedException {
    long total = DataSet.fileBytes(lab.path(0, SRC));
    List<Double> seconds = new ArrayList<>();
    List<Double> rerunSeconds = new ArrayList<>();
    long kept = 0;
    long resent = 0;
    for (int run = 0; run < runs; run++) {
      wipe(n, GOSYNC_DST);
      CompletableFuture<Lab.Run> sync = CompletableFuture.supplyAsync(() -> syncQuietly(n));
      awaitLanded(victims.get(victims.size() - 1) + 1, total * 2 / 5, sync);
      for (int victim : victims) {
        lab.kill(victim);
      }
      Lab.Run result = sync.join();
      checkOnlyFailed(result, victims, n);
      seconds.add(result.took().toMillis() / 1000.0);
      lab.restartDaemons(victims);
      for (int victim : victims) {
        kept += DataSet.bytesUnder(lab.path(victim, GOSYNC_DST));
      }
      Lab.Run rerun = syncQuietly(n);
      checkOnlyFailed(rerun, List.of(), n);
      rerunSeconds.add(rerun.took().toMillis() / 1000.0);
      resent += victims.stream().mapToLong(victim -> sentTo(rerun, lab.name(victim))).sum();
    }
    return new Killed(report(new Sample(scenario, "gosync n=1", n, seconds)),
        report(new Sample("re-run after " + scenario, "gosync n=1", n, rerunSeconds)),
        (double) kept / runs / victims.size(), (double) resent / runs / victims.size(), total);
  }

  /**
   * A kill's runs, and the re-runs after each once the killed daemons run again; what each killed node held of
   * the copy when it was started again, and what the re-run sent it, on average; and the copy's bytes.
   */
  record Killed(Sample killed, Sample rerun, double keptBytes, double resentBytes, long totalBytes) {
  }

  private static long sentTo(Lab.Run run, String target) {
    for (Object line : run.json().getJsonArray("targets")) {
      if (((JsonObject) line).getString("target").equals(target)) {
        return ((JsonObject) line).getLong("bytes");
      }
    }
    throw new IllegalStateException(target + " is not in the report: " + run);
  }

  /**
   * The chain to {@code n} targets with one target's link, both ways, at a quarter of the lab's rate: each run's
   * time until every other target holds the whole copy (polled every 100 ms), and the task's own time.
   */
  Straggling straggler(String scenario, int n, int slow) throws IOException, InterruptedException {
    long total = DataSet.fileBytes(lab.path(0, SRC));
    List<Double> others = new ArrayList<>();
    List<Double> whole = new ArrayList<>();
    lab.setRate(slow, lab.rateMbit() / 4);
    try {
      for (int run = 0; run < runs; run++) {
        wipe(n, GOSYNC_DST);
        long start = System.nanoTime();
        CompletableFuture<Lab.Run> sync = CompletableFuture.supplyAsync(() -> syncQuietly(n));
        awaitCopies(n, slow, total, sync);
        others.add((System.nanoTime() - start) / 1e9);
        Lab.Run result = sync.join();
        checkOnlyFailed(result, List.of(), n);
        whole.add(result.took().toMillis() / 1000.0);
      }
    } finally {
      lab.setRate(slow, lab.rateMbit());
    }
    return new Straggling(report(new Sample(scenario + ", the others", "gosync n=1", n - 1, others)),
        report(new Sample(scenario + ", the task", "gosync n=1", n, whole)));
  }

  /** A straggler's runs: until the other targets were done, and until the task was. */
  record Straggling(Sample others, Sample task) {
  }

  /** Until every target but {@code slow} holds {@code bytes} of the copy and no temporary file. */
  private void awaitCopies(int n, int slow, long bytes, CompletableFuture<Lab.Run> sync)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    for (int host = 1; host <= n && System.nanoTime() < deadline; ) {
      if (host == slow || isWhole(lab.path(host, GOSYNC_DST), bytes)) {
        host++;
      } else if (sync.isDone()) {
        throw new IOException(lab.name(host) + " does not hold the copy, and the sync is over: " + sync.join());
      } else {
        Thread.sleep(100);
      }
    }
  }

  private static boolean isWhole(Path dir, long bytes) throws IOException {
    if (DataSet.bytesUnder(dir) < bytes) {
      return false;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths.noneMatch(path -> path.getFileName().toString().startsWith(".gosync-"));
    } catch (UncheckedIOException movedMeanwhile) {
      return false;
    }
  }

  private Lab.Run syncQuietly(int n) {
    try {
      return lab.gosync(0, WITHIN, "sync", "--src", SRC, "--dst", GOSYNC_DST, "-t", targetNames(n), "-n", "1", "-d",
          "--json");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Until the host holds {@code bytes} of the copy (its temporary files included), or the sync is over. */
  private void awaitLanded(int host, long bytes, CompletableFuture<Lab.Run> sync) throws IOException, InterruptedException {
    Path dir = lab.path(host, GOSYNC_DST);
    long deadline = System.nanoTime() + WITHIN.toNanos();
    while (System.nanoTime() < deadline && !sync.isDone()) {
      if (DataSet.bytesUnder(dir) >= bytes) {
        return;
      }
      Thread.sleep(20);
    }
    throw new IOException(lab.name(host) + " never held " + bytes + " bytes of the copy before the sync ended: "
        + (sync.isDone() ? sync.join() : "still running"));
  }

  /** The killed relays failed; every other target is ok (or, in a re-run, unchanged) and equal to the source. */
  private void checkOnlyFailed(Lab.Run run, List<Integer> victims, int n) throws IOException {
    List<String> killed = victims.stream().map(lab::name).toList();
    for (Object line : run.json().getJsonArray("targets")) {
      JsonObject target = (JsonObject) line;
      String expected = killed.contains(target.getString("target")) ? "failed" : "ok";
      // A re-run (none killed) leaves the nodes that ended ok before unchanged.
      if (!expected.equals(target.getString("status")) && !(victims.isEmpty() && target.getString("status").equals("unchanged"))) {
        throw new IOException(target.getString("target") + " is " + target.getString("status") + ", not " + expected
            + ", with " + killed + " killed mid-stream:\n" + run + "\n" + lab.logTails(20));
      }
    }
    TreeSnapshot source = TreeSnapshot.of(lab.path(0, SRC));
    for (int host = 1; host <= n; host++) {
      List<String> differences = source.differences(TreeSnapshot.of(lab.path(host, GOSYNC_DST)));
      if (!victims.contains(host) && !differences.isEmpty()) {
        throw new IOException(lab.name(host) + GOSYNC_DST + " differs from the source: "
            + differences.subList(0, Math.min(10, differences.size())));
      }
    }
  }

  /** Each daemon's peak resident set so far, MiB: index 0 is the source. */
  List<Long> peakRss() throws IOException {
    List<Long> peaks = new ArrayList<>();
    for (int host = 0; host < lab.hosts(); host++) {
      peaks.add(lab.peakRssKiB(host) >> 10);
    }
    return peaks;
  }

  long targetTicks(int n) throws IOException {
    long ticks = 0;
    for (int host = 1; host <= n; host++) {
      ticks += lab.cpuTicks(host);
    }
    return ticks;
  }

  /**
   * CPU ticks of the receiving side of rsync on targets 1..n so far: each rsync daemon's connection processes
   * (receiver and generator), once they have ended ({@link RsyncDaemon#receiverTicks(ProcessHandle)}).
   */
  long rsyncReceiverTicks(int n) throws IOException, InterruptedException {
    long ticks = 0;
    for (int host = 1; host <= n; host++) {
      ticks += RsyncDaemon.receiverTicks(rsyncDaemons.get(host - 1).toHandle());
    }
    return ticks;
  }

  double gosync(int n, int fanout) throws IOException, InterruptedException {
    return sync(n, fanout).took().toMillis() / 1000.0;
  }

  private Lab.Run sync(int n, int fanout) throws IOException, InterruptedException {
    Lab.Run run = lab.gosync(0, WITHIN, "sync", "--src", SRC, "--dst", GOSYNC_DST, "-t", targetNames(n),
        "-n", String.valueOf(fanout), "-d", "--json");
    if (run.code() != 0) {
      throw new IOException("gosync failed, so its time means nothing:\n" + run + "\n" + lab.logTails(20));
    }
    return run;
  }

  /** rsync pushed from the source to all n targets at once, as "rsync in a loop" run in parallel. */
  double rsync(int n, List<String> options) throws IOException, InterruptedException {
    long started = System.nanoTime();
    List<Process> pushes = new ArrayList<>();
    for (int host = 1; host <= n; host++) {
      Path log = lab.work().resolve("rsync-push-" + lab.name(host) + ".log");
      List<String> command = new ArrayList<>(List.of("rsync", "-a", "--delete", "--numeric-ids"));
      command.addAll(options);
      command.addAll(List.of(lab.path(0, SRC) + "/",
          "rsync://" + lab.address(host) + "/" + RsyncDaemon.MODULE + RSYNC_DST.substring(Lab.DATA.length()) + "/"));
      pushes.add(lab.spawn(0, log, command));
    }
    for (int i = 0; i < pushes.size(); i++) {
      Process push = pushes.get(i);
      if (!push.waitFor(WITHIN.toSeconds(), TimeUnit.SECONDS) || push.exitValue() != 0) {
        push.destroyForcibly();
        throw new IOException("rsync to " + lab.name(i + 1) + " failed:\n"
            + Files.readString(lab.work().resolve("rsync-push-" + lab.name(i + 1) + ".log")));
      }
    }
    return (System.nanoTime() - started) / 1e9;
  }

  private String targetNames(int n) {
    List<String> names = new ArrayList<>();
    for (int host = 1; host <= n; host++) {
      names.add(lab.name(host));
    }
    return String.join(",", names);
  }

  void wipe(int n, String dst) throws IOException {
    for (int host = 1; host <= n; host++) {
      removeTree(lab.path(host, dst));
    }
  }

  static void removeTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
          Files.delete(path);
        }
      }
    }
  }

  /** A benchmark of a wrong copy is worthless: every target must equal the source. */
  void verify(int n, String dst) throws IOException {
    TreeSnapshot source = TreeSnapshot.of(lab.path(0, SRC));
    for (int host = 1; host <= n; host++) {
      List<String> differences = source.differences(TreeSnapshot.of(lab.path(host, dst)));
      if (!differences.isEmpty()) {
        throw new IOException(lab.name(host) + dst + " differs from the source: "
            + differences.subList(0, Math.min(10, differences.size())));
      }
    }
  }

  private static Sample report(Sample sample) {
    System.out.printf("  %-11s %-11s N=%-2d runs %s%n", sample.scenario(), sample.tool(), sample.targets(),
        sample.seconds().stream().map(s -> String.format("%.2f s", s)).toList());
    return sample;
  }
}
