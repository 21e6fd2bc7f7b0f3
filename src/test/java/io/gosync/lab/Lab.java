package io.gosync.lab;

import io.gosync.testkit.DaemonProcesses;
import io.gosync.trust.ClusterAuthority;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Test hosts on this machine: a {@link LabNetwork} with one gosync daemon per host, each a
 * separate JVM started from the fat jar the way users start it (its own certificate from the lab's
 * CA, Hazelcast TCP-IP join on the lab addresses, default ports). Host 0 is the source by convention. Everything the lab makes
 * (namespaces, processes, tmpfs mounts) is undone by {@link #close()}, which also runs on
 * interrupt (a shutdown hook); what a killed run left is removed by the next one.
 * Needs root and iproute2.
 */
public final class Lab implements AutoCloseable {

  public static final Path JAR = Path.of("target", "gosync.jar").toAbsolutePath();
  /** The JVM flags we recommend for daemons; the lab runs them exactly as the README says. */
  public static final Path DAEMON_JVM_OPTIONS = Path.of("config", "daemon-jvm.options").toAbsolutePath();
  /** Task paths of the lab live under this directory of each host. */
  public static final String DATA = "/data";

  private static final Path BASE = Path.of("target", "lab").toAbsolutePath();
  /**
   * One lab per machine: a new lab takes any gosync-lab namespace for a leftover. The OS drops
   * the lock when its holder dies, so a killed run never blocks the next one.
   */
  private static final Path LOCK = Path.of(System.getProperty("java.io.tmpdir"), "gosync-lab.lock");
  private static final Duration CLUSTER_WITHIN = Duration.ofSeconds(240);
  private static final Duration STOP_WITHIN = Duration.ofSeconds(20);

  private final FileLock lock;
  private final LabNetwork network;
  private final Path work;
  private final Map<Integer, Process> daemons = new TreeMap<>();
  private final List<Process> helpers = new ArrayList<>();
  private final List<Path> mounts = new ArrayList<>();
  private ClusterAuthority authority;
  /** The GOSYNC_* variables the daemons were last started with; a restarted daemon gets them again. */
  private Map<String, String> environment = Map.of();
  private final Thread tearDownOnExit = new Thread(this::close, "lab tear-down");
  private boolean closed;

  private Lab(FileLock lock, LabNetwork network, Path work) {
    this.lock = lock;
    this.network = network;
    this.work = work;
  }

  /** Makes the network and each host's root (with an empty /data); daemons start with {@link #startDaemons()}. */
  public static Lab create(int hosts, int rateMbit) throws IOException {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new IllegalStateException("the lab makes network namespaces and mounts, so it must run as root");
    }
    FileChannel lockFile = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = lockFile.tryLock();
    if (lock == null) {
      lockFile.close();
      throw new IllegalStateException("another lab is running on this machine (it holds " + LOCK + "); one at a time");
    }
    Lab lab;
    try {
      unmountLeftovers();
      Path work = Files.createDirectories(BASE.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
      lab = new Lab(lock, LabNetwork.create(hosts, rateMbit), work);
    } catch (IOException | RuntimeException e) {
      lockFile.close();
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(lab.tearDownOnExit);
    try {
      for (int host = 0; host < hosts; host++) {
        Files.createDirectories(lab.path(host, DATA));
      }
    } catch (IOException e) {
      lab.close();
      throw e;
    }
    return lab;
  }

  public int hosts() {
    return network.hosts();
  }

  /** Sets one host's link, both ways, to {@code mbit}: a straggler, until set back to {@link #rateMbit()}. */
  public void setRate(int host, int mbit) throws IOException {
    network.setRate(host, mbit);
  }

  public int rateMbit() {
    return network.rateMbit();
  }

  public String name(int host) {
    return "h" + host;
  }

  public String address(int host) {
    return network.address(host);
  }

  public Path work() {
    return work;
  }

  /** Where a task path of the host lives on this machine (each daemon is confined to its own root). */
  public Path path(int host, String taskPath) {
    return work.resolve("hosts").resolve(name(host)).resolve(taskPath.substring(1));
  }

  /**
   * Puts a tmpfs of the given size at a task path of the host: a small disk. Call it before
   * {@link #startDaemons()}, so the daemon's mount namespace (made by ip netns exec) has it.
   */
  public void mountSmallDisk(int host, String taskPath, long bytes) throws IOException {
    Path dir = Files.createDirectories(path(host, taskPath));
    Shell.run("mount", "-t", "tmpfs", "-o", "size=" + bytes, "gosync-lab", dir.toString());
    mounts.add(dir);
  }

  /**
   * Starts every daemon at once, each with its certificate from the lab's own CA (made here on the first call,
   * in the lab's work directory), and waits until host 0 sees all of them in its cluster.
   */
  public void startDaemons() throws IOException, InterruptedException {
    startDaemons(Map.of());
  }

  /** Starts every daemon as {@link #startDaemons()}, with these GOSYNC_* variables (GOSYNC_DURABLE=false, say). */
  public void startDaemons(Map<String, String> environment) throws IOException, InterruptedException {
    this.environment = Map.copyOf(environment);
    if (authority == null) {
      authority = ClusterAuthority.init(work.resolve("ca"));
      for (int host = 0; host < hosts(); host++) {
        authority.issue(name(host), List.of(address(host)), true);
      }
    }
    for (int host = 0; host < hosts(); host++) {
      startDaemon(host);
    }
    awaitCluster();
  }

  /**
   * Stops every daemon and starts them again with these GOSYNC_* variables (a setting changed, say
   * GOSYNC_DURABLE=false), each with the certificate it had; waits for the cluster as {@link #startDaemons()}.
   */
  public void restartDaemons(Map<String, String> environment) throws IOException, InterruptedException {
    stopDaemons();
    startDaemons(environment);
  }

  /**
   * Stops one host's daemon (SIGTERM, as an operator's restart does) and starts it again with the variables
   * it had, then waits for the cluster: its memory, JIT and in-memory hash cache start over.
   */
  public void restartDaemon(int host) throws IOException, InterruptedException {
    restartDaemons(List.of(host));
  }

  /** The same for several hosts at once (killed ones, say), the cluster awaited once they all run again. */
  public void restartDaemons(List<Integer> hosts) throws IOException, InterruptedException {
    for (int host : hosts) {
      stop(daemons.get(host));
      startDaemon(host);
    }
    awaitCluster();
  }

  private void startDaemon(int host) throws IOException {
    List<String> members = new ArrayList<>();
    for (int member = 0; member < hosts(); member++) {
      members.add(address(member));
    }
    List<String> command = new ArrayList<>(List.of(java(), "@" + DAEMON_JVM_OPTIONS, "-jar", JAR.toString(), "daemon",
        "--certs", authority.dir().resolve(name(host)).toString(),
        "--name", name(host), "--host", address(host), "--cluster-members", String.join(",", members),
        "--root", path(host, "/").toString(), "--allow", DATA));
    // Each host keeps its hash cache in a state directory of its own, within this lab, as a real host does.
    Map<String, String> env = new HashMap<>(environment);
    env.put("GOSYNC_STATE_DIR", work.resolve("state").resolve(name(host)).toString());
    // A restarted daemon's log starts over, so that awaitCluster waits for this start's line.
    daemons.put(host, start(host, log(host), command, env));
  }

  /** Starts another program inside a host (an rsync daemon, say); the lab ends it on close. */
  public Process spawn(int host, Path log, List<String> command) throws IOException {
    Process process = start(host, log, command, Map.of());
    helpers.add(process);
    return process;
  }

  /** The result of one CLI call. */
  public record Run(List<String> args, int code, String out, String err, Duration took) {
    public JsonObject json() {
      return new JsonObject(out);
    }

    @Override
    public String toString() {
      return "gosync " + String.join(" ", args) + "\nexit " + code + " after " + took.toMillis() + " ms\n--- stdout\n"
          + out + "--- stderr\n" + err;
    }
  }

  /**
   * Runs a gosync client command (args[0]) inside a host, against that host's daemon on its default loopback
   * address, with --certs naming the host's own certs directory, as an operator on that host would.
   */
  public Run gosync(int host, Duration within, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(DaemonProcesses.LAUNCHER.toString(), args[0],
        "--certs", authority.dir().resolve(name(host)).toString()));
    command.addAll(List.of(args).subList(1, args.length));
    Path out = Files.createTempFile(work, "cli-", ".out");
    Path err = Files.createTempFile(work, "cli-", ".err");
    long started = System.nanoTime();
    Process process = new ProcessBuilder(network.inside(host, command))
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IOException("gosync " + String.join(" ", args) + " on " + name(host) + " did not finish within "
          + within.toSeconds() + " s\n" + Files.readString(out) + Files.readString(err));
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    return new Run(List.of(args), process.exitValue(), Files.readString(out), Files.readString(err), took);
  }

  /** Kills a host's daemon with SIGKILL, as a crash or the OOM killer would, and waits until it is gone. */
  public void kill(int host) throws InterruptedException {
    Process daemon = daemons.get(host);
    daemon.destroyForcibly();
    daemon.waitFor(STOP_WITHIN.toSeconds(), TimeUnit.SECONDS);
  }

  /** The daemon's peak resident set so far (VmHWM), in KiB. */
  public long peakRssKiB(int host) throws IOException {
    return ProcFigures.peakRssKiB(daemons.get(host).pid());
  }

  /** CPU time (user + system) the daemon has used so far, in clock ticks of {@link ProcFigures#TICKS_PER_SECOND}. */
  public long cpuTicks(int host) throws IOException {
    return ProcFigures.cpuTicks(daemons.get(host).pid());
  }

  /** Bytes the daemon has read so far, files and sockets ({@link ProcFigures#readBytes}). */
  public long readBytes(int host) throws IOException {
    return ProcFigures.readBytes(daemons.get(host).pid());
  }

  public long sentBytes(int host) throws IOException {
    return network.sentBytes(host);
  }

  public Path log(int host) {
    return work.resolve(name(host) + ".log");
  }

  /** The tail of every daemon's log, to show next to a failure. */
  public String logTails(int lines) throws IOException {
    StringBuilder tails = new StringBuilder();
    for (int host = 0; host < hosts(); host++) {
      List<String> all = Files.exists(log(host)) ? Files.readAllLines(log(host)) : List.of();
      tails.append("--- ").append(name(host)).append(" (").append(log(host)).append(")\n");
      all.subList(Math.max(0, all.size() - lines), all.size()).forEach(line -> tails.append(line).append('\n'));
    }
    return tails.toString();
  }

  private Process start(int host, Path log, List<String> command, Map<String, String> environment) throws IOException {
    // ip netns exec replaces itself with the command, so the process we hold is the program itself.
    ProcessBuilder builder = new ProcessBuilder(network.inside(host, command)).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    return builder.start();
  }

  /** Waits for each daemon to say it started (it joins the cluster first), then for h0 to list every node. */
  private void awaitCluster() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + CLUSTER_WITHIN.toNanos();
    for (int host = 0; host < hosts(); host++) {
      while (!Files.readString(log(host)).contains("gosync " + name(host) + ": http")) {
        checkDaemonsAlive();
        pause(deadline, name(host) + "'s daemon did not start");
      }
    }
    while (true) {
      Run nodes = gosync(0, CLUSTER_WITHIN, "nodes", "--json");
      int seen = nodes.code() == 0 ? new JsonArray(nodes.out()).size() : 0;
      if (seen == hosts()) {
        return;
      }
      checkDaemonsAlive();
      pause(deadline, name(0) + " sees " + seen + " of " + hosts() + " nodes\n" + nodes);
    }
  }

  private void checkDaemonsAlive() throws IOException {
    for (Map.Entry<Integer, Process> daemon : daemons.entrySet()) {
      if (!daemon.getValue().isAlive()) {
        throw new IOException(name(daemon.getKey()) + "'s daemon exited with " + daemon.getValue().exitValue()
            + " while the cluster formed\n" + logTails(30));
      }
    }
  }

  private void pause(long deadline, String problem) throws IOException, InterruptedException {
    if (System.nanoTime() > deadline) {
      throw new IOException("the cluster did not form within " + CLUSTER_WITHIN.toSeconds() + " s: " + problem + "\n"
          + logTails(30));
    }
    Thread.sleep(500);
  }

  /** Stops the daemons (SIGTERM, then SIGKILL), ends helpers, unmounts, removes the network. Safe to call twice. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    helpers.forEach(Process::destroyForcibly);
    try {
      stopDaemons();
    } catch (InterruptedException e) {
      daemons.values().forEach(Process::destroyForcibly);
      Thread.currentThread().interrupt();
    }
    mounts.forEach(dir -> Shell.bestEffort("umount", "--lazy", dir.toString()));
    network.close();
    try {
      lock.channel().close();
    } catch (IOException e) {
      System.err.println("lab tear-down: " + e.getMessage());
    }
    if (Thread.currentThread() != tearDownOnExit) {
      try {
        Runtime.getRuntime().removeShutdownHook(tearDownOnExit);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is exiting anyway; the hook finds the lab closed.
      }
    }
  }

  /** SIGTERM to every daemon at once (so they leave the cluster together), SIGKILL to any still up after STOP_WITHIN. */
  private void stopDaemons() throws InterruptedException {
    daemons.values().forEach(Process::destroy);
    for (Process daemon : daemons.values()) {
      stop(daemon);
    }
    daemons.clear();
  }

  private static void stop(Process daemon) throws InterruptedException {
    daemon.destroy();
    if (!daemon.waitFor(STOP_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
      daemon.destroyForcibly().waitFor(STOP_WITHIN.toSeconds(), TimeUnit.SECONDS);
    }
  }

  /** Unmounts the small disks of a run that was killed before it could tear down. */
  private static void unmountLeftovers() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
      String[] fields = line.split(" ");
      if (fields[0].equals("gosync-lab") && fields[1].startsWith(BASE.toString())) {
        System.err.println("lab: unmounting " + fields[1] + ", left by an earlier run");
        Shell.run("umount", "--lazy", fields[1]);
      }
    }
  }

  private static String java() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
