package io.gosync.lab;

import io.gosync.testkit.DaemonProcesses;
import io.gosync.testkit.DaemonProcesses.Options;
import io.gosync.testkit.DaemonProcesses.Run;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Three gosync daemons as processes on 127.0.0.1 (no namespaces, no shaping): node0 the source, node1 and
 * node2 targets, TLS and tokens on as always, started by the process tests' kit from target/gosync.jar with
 * the JVM options we ship. Durable landing is on or off for the whole cluster (the config key durable).
 */
final class LoopbackCluster implements AutoCloseable {

  static final int DAEMONS = 3;
  /** 100,000 small files took minutes before issue 11; a sync is given far longer before it counts as hung. */
  private static final Duration SYNC_WITHIN = Duration.ofMinutes(30);

  private final DaemonProcesses daemons = new DaemonProcesses();
  private JsonObject lastReport = new JsonObject();

  private LoopbackCluster() {
  }

  /** Starts the daemons in {@code base} (their certs, roots and logs) and waits until node0 lists all of them. */
  static LoopbackCluster start(Path base, boolean durable) throws IOException, InterruptedException {
    LoopbackCluster cluster = new LoopbackCluster();
    try {
      Files.createDirectories(base);
      cluster.daemons.start(base, Options.of(DAEMONS).withConfig("durable", durable));
      cluster.daemons.awaitReady();
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** Where a task path of node {@code node} is on this machine. */
  Path path(int node, String taskPath) {
    return daemons.daemon(name(node)).path(taskPath);
  }

  /**
   * {@code gosync sync --src src --dst dst -t node1,…,nodeN -n 1 -d} from node0, as an operator runs it: its
   * wall time, the CLI process's start included. A sync that does not end ok is an error, never a time.
   */
  double sync(String src, String dst, int targets) throws IOException, InterruptedException {
    List<String> names = new ArrayList<>();
    for (int node = 1; node <= targets; node++) {
      names.add(name(node));
    }
    long started = System.nanoTime();
    Run run = daemons.client(SYNC_WITHIN, "sync", "--via", daemons.via(), "--src", src, "--dst", dst, "-t", String.join(",", names),
        "-n", "1", "-d", "--json");
    double seconds = (System.nanoTime() - started) / 1e9;
    if (run.code() != 0) {
      throw new IOException("gosync failed, so its time means nothing:\n" + run + daemons.logs());
    }
    lastReport = new JsonObject(run.out());
    return seconds;
  }

  /** The task report of the last sync. */
  JsonObject lastReport() {
    return lastReport;
  }

  /** CPU ticks each daemon has used so far, node0 first. */
  long[] cpuTicks() throws IOException {
    long[] ticks = new long[DAEMONS];
    for (int node = 0; node < DAEMONS; node++) {
      ticks[node] = ProcFigures.cpuTicks(daemons.daemon(name(node)).process().pid());
    }
    return ticks;
  }

  /** Bytes the source daemon has read so far, files and sockets ({@link ProcFigures#readBytes}). */
  long sourceReadBytes() throws IOException {
    return ProcFigures.readBytes(daemons.node0().process().pid());
  }

  /** Each daemon's peak resident set so far (VmHWM), MiB, node0 first. */
  List<Long> peakRssMiB() throws IOException {
    List<Long> peaks = new ArrayList<>();
    for (int node = 0; node < DAEMONS; node++) {
      peaks.add(ProcFigures.peakRssKiB(daemons.daemon(name(node)).process().pid()) >> 10);
    }
    return peaks;
  }

  /** Restarts the source daemon (SIGTERM, same ports) and waits until it lists every node again. */
  void restartSource() throws IOException, InterruptedException {
    daemons.restart(name(0));
  }

  /** Stops the daemons (SIGTERM, then SIGKILL); interrupted, it kills them at once. */
  @Override
  public void close() {
    try {
      daemons.stop();
    } catch (InterruptedException e) {
      daemons.kill();
      Thread.currentThread().interrupt();
    }
  }

  private static String name(int node) {
    return "node" + node;
  }
}
