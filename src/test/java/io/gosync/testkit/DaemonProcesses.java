package io.gosync.testkit;

import io.gosync.cli.FreePorts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * gosync as users run it, for the process tests: daemons node0, node1, ... each its own JVM from
 * target/gosync.jar (built by `package`) with the JVM options we ship, their certs made with the CLI as
 * README says, and the CLI as one more process per command. Every process gets an environment without
 * GOSYNC_* variables, so the developer's own settings cannot leak into a test. A test class registers one as
 * a static {@code @RegisterExtension} field and starts it in {@code @BeforeAll}; it shows the daemons' logs
 * next to a failed test and stops them after the class.
 */
public final class DaemonProcesses implements AfterAllCallback, TestWatcher {

  private static final Path JAR = Path.of("target", "gosync.jar").toAbsolutePath();
  /** The CLI as operators run it: the launcher `mvn package` puts beside the jar. */
  public static final Path LAUNCHER = Path.of("target", "gosync").toAbsolutePath();
  /** The daemons run with the JVM options we ship, so a flag the JVM rejects fails here. */
  private static final Path JVM_OPTIONS = Path.of("config", "daemon-jvm.options").toAbsolutePath();
  private static final Duration READY_WITHIN = Duration.ofSeconds(120);
  private static final Duration CLI_WITHIN = Duration.ofSeconds(180);
  /** The keepalive period every process test has run with (the default is 2000). */
  private static final int HEARTBEAT_MS = 500;
  /** What SIGTERM is given to stop a daemon before it is killed. */
  private static final Duration STOP_WITHIN = Duration.ofSeconds(30);

  private Path base;
  private Options options;
  private final String clusterName = "gosync-it-" + UUID.randomUUID();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<String> members = new ArrayList<>();
  /** The daemon that answers to each name now (a restart replaces it), in the order of their names. */
  private final Map<String, Daemon> current = new LinkedHashMap<>();
  /** Every daemon ever started here, to stop at the end and whose logs a failure shows. */
  private final List<Daemon> started = new ArrayList<>();
  private Path config;

  /**
   * What differs between the tests: how many daemons, keys of their cluster config file beside clusterName and
   * heartbeatMs, and a command that runs some daemon's JVM (strace), by daemon name.
   */
  public record Options(int daemons, JsonObject config, Map<String, List<String>> commandPrefixes) {
    public static Options of(int daemons) {
      return new Options(daemons, new JsonObject(), Map.of());
    }

    public Options withConfig(String key, Object value) {
      return new Options(daemons, config.copy().put(key, value), commandPrefixes);
    }

    public Options withCommandPrefix(String daemon, List<String> prefix) {
      Map<String, List<String>> prefixes = new LinkedHashMap<>(commandPrefixes);
      prefixes.put(daemon, List.copyOf(prefix));
      return new Options(daemons, config, Map.copyOf(prefixes));
    }
  }

  /** One daemon process: its name, ports, root, certs directory and log. */
  public record Daemon(String name, int dataPort, int httpPort, int clusterPort, Path root, Path certs, Path log,
                       Process process) {
    /** Where a task path such as /data/x is on this daemon's disk. */
    public Path path(String taskPath) {
      return root.resolve(taskPath.substring(1));
    }
  }

  /** One run of the CLI. */
  public record Run(List<String> args, int code, String out, String err) {
    @Override
    public String toString() {
      return "gosync " + String.join(" ", args) + "\nexit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    System.out.println("daemon logs after " + context.getDisplayName() + ":" + logs());
  }

  /** Stops whatever {@link #start} got to, even when it failed halfway. */
  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    stop();
  }

  // ---- daemons ----

  /**
   * Makes the cluster's CA in {@code base} and each node's certs with the CLI, writes the cluster config file
   * and starts the daemons; {@link #awaitReady} waits for them.
   */
  public void start(Path base, Options options) throws IOException, InterruptedException {
    this.base = base;
    this.options = options;
    assertTrue(Files.isRegularFile(JAR), JAR + " is missing: run `mvn package` first");
    assertSucceeds(cli("certs", "init", ca().toString()));
    config = Files.writeString(base.resolve("cluster.json"),
        new JsonObject().put("clusterName", clusterName).put("heartbeatMs", HEARTBEAT_MS)
            .put("stateDir", base.resolve("state").toString()).mergeIn(options.config())
            .encodePrettily());
    List<String> names = new ArrayList<>();
    List<Integer> clusterPorts = new ArrayList<>();
    for (int i = 0; i < options.daemons(); i++) {
      names.add("node" + i);
      clusterPorts.add(FreePorts.next());
      members.add("127.0.0.1:" + clusterPorts.get(i));
    }
    for (int i = 0; i < names.size(); i++) {
      // Task paths are confined to /data; its parent must exist for a destination below it.
      Files.createDirectories(base.resolve(names.get(i)).resolve("data"));
      issue(names.get(i));
      start(names.get(i), FreePorts.next(), FreePorts.next(), clusterPorts.get(i));
    }
  }

  /** Starts a daemon of this name with these ports (a restart gives the old ones), the one of its name from now. */
  public Daemon start(String name, int dataPort, int httpPort, int clusterPort) throws IOException {
    Path root = base.resolve(name);
    Path log = base.resolve(name + "-" + started.size() + ".log");
    List<String> command = new ArrayList<>(options.commandPrefixes().getOrDefault(name, List.of()));
    command.addAll(List.of(java(), "@" + JVM_OPTIONS, "-jar", JAR.toString(), "daemon",
        "--config", config.toString(), "--certs", certs(name).toString(), "--name", name, "--host", "127.0.0.1",
        "--data-port", String.valueOf(dataPort), "--http-port", String.valueOf(httpPort),
        "--cluster-port", String.valueOf(clusterPort), "--cluster-members", String.join(",", members),
        "--root", root.toString(), "--allow", "/data"));
    Process process = withoutGosyncVariables(new ProcessBuilder(command))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Daemon daemon = new Daemon(name, dataPort, httpPort, clusterPort, root, certs(name), log, process);
    started.add(daemon);
    current.put(name, daemon);
    return daemon;
  }

  /** Every daemon answers /health with UP, then node0 lists all of them. */
  public void awaitReady() throws IOException, InterruptedException {
    for (Daemon daemon : current.values()) {
      awaitHealthy(daemon);
    }
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    while (true) {
      JsonArray nodes = nodes(node0());
      if (nodes != null && nodes.size() == current.size()) {
        return;
      }
      pause(deadline, "node0 to list " + current.size() + " nodes, it lists " + (nodes == null ? "none" : nodes.encode()));
    }
  }

  public void awaitHealthy(Daemon daemon) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    while (!healthy(daemon)) {
      if (!daemon.process().isAlive()) {
        fail(daemon.name() + " exited with " + daemon.process().exitValue() + " before it was ready" + logs());
      }
      pause(deadline, "/health of " + daemon.name());
    }
  }

  /**
   * Stops a daemon with SIGTERM, as an operator restarts one, starts it again with the same name, certificate
   * and ports, and waits until node0 lists every daemon again: the new one, the current one of its name.
   */
  public Daemon restart(String name) throws IOException, InterruptedException {
    Daemon old = daemon(name);
    old.process().destroy();
    if (!old.process().waitFor(STOP_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
      fail(name + " did not stop within " + STOP_WITHIN.toSeconds() + " s of SIGTERM" + logs());
    }
    Daemon again = start(name, old.dataPort(), old.httpPort(), old.clusterPort());
    awaitReady();
    return again;
  }

  /**
   * Stops every daemon started here: the daemon itself first, then what runs it (under strace, SIGTERM to
   * strace would only detach it), and kills one that does not stop. For users outside JUnit (the benchmark);
   * a test class's extension calls it after the class.
   */
  public void stop() throws InterruptedException {
    started.forEach(daemon -> daemon.process().descendants().forEach(ProcessHandle::destroy));
    started.forEach(daemon -> daemon.process().destroy());
    for (Daemon daemon : started) {
      if (!daemon.process().waitFor(STOP_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
        // Not a test failure (the tests are over), but worth seeing: SIGTERM should stop a daemon.
        System.out.println(daemon.name() + " did not stop within " + STOP_WITHIN.toSeconds() + " s of SIGTERM; killing it");
        daemon.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Kills every daemon started here with SIGKILL, without waiting: for a tear-down that was interrupted. */
  public void kill() {
    started.forEach(daemon -> daemon.process().descendants().forEach(ProcessHandle::destroyForcibly));
    started.forEach(daemon -> daemon.process().destroyForcibly());
  }

  /** The daemon that answers to this name now. */
  public Daemon daemon(String name) {
    Daemon daemon = current.get(name);
    if (daemon == null) {
      throw new IllegalArgumentException("no daemon " + name + " among " + current.keySet());
    }
    return daemon;
  }

  /** The daemon an operator's CLI talks to. */
  public Daemon node0() {
    return daemon("node0");
  }

  /** node0's HTTP address, for --via. */
  public String via() {
    return "127.0.0.1:" + node0().httpPort();
  }

  public String clusterName() {
    return clusterName;
  }

  /** The Hazelcast members the daemons were started with. */
  public List<String> members() {
    return List.copyOf(members);
  }

  /** Every daemon's log, in the order they were started, for a failure's message. */
  public String logs() {
    StringBuilder out = new StringBuilder();
    for (Daemon daemon : started) {
      out.append("\n===== ").append(daemon.log().getFileName()).append(" =====\n");
      try {
        out.append(Files.exists(daemon.log()) ? Files.readString(daemon.log()) : "(no log)");
      } catch (IOException e) {
        out.append("(cannot read it: ").append(e).append(")");
      }
    }
    return out.toString();
  }

  // ---- the HTTP API ----

  public boolean healthy(Daemon daemon) throws InterruptedException {
    try {
      HttpResponse<String> response = get(daemon, "/health");
      return response.statusCode() == 200 && "UP".equals(new JsonObject(response.body()).getString("status"));
    } catch (IOException e) {
      return false; // not listening yet
    }
  }

  /** The node list this daemon answers with, or null while it cannot answer. */
  public JsonArray nodes(Daemon daemon) throws InterruptedException {
    try {
      HttpResponse<String> response = get(daemon, "/api/v1/nodes");
      return response.statusCode() == 200 ? new JsonArray(response.body()) : null;
    } catch (IOException e) {
      return null;
    }
  }

  public HttpResponse<String> get(Daemon daemon, String path) throws IOException, InterruptedException {
    return send(request(daemon, path).GET().build());
  }

  /** A request to this daemon's HTTP API with the cluster's token. */
  public HttpRequest.Builder request(Daemon daemon, String path) throws IOException {
    String token = Files.readString(daemon.certs().resolve("token")).strip();
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.httpPort() + path))
        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10));
  }

  public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  // ---- the CLI ----

  /** Issues a certificate of the cluster's CA for this name with the CLI; returns its certs directory. */
  public Path issue(String name) throws IOException, InterruptedException {
    assertSucceeds(cli("certs", "issue", ca().toString(), name, "--host", "127.0.0.1"));
    return certs(name);
  }

  /** A client command as an operator on node0's host runs it: with --certs naming node0's certs directory. */
  public Run client(String command, String... args) throws IOException, InterruptedException {
    return client(CLI_WITHIN, command, args);
  }

  /** A client command as {@link #client(String, String...)}, given longer to finish (a benchmark's large tree). */
  public Run client(Duration within, String command, String... args) throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of(command, "--certs", node0().certs().toString()));
    all.addAll(List.of(args));
    return cli(within, Map.of(), all.toArray(String[]::new));
  }

  public Run cli(String... args) throws IOException, InterruptedException {
    return cli(Map.of(), args);
  }

  /** The CLI as its own process, with env added to an environment that has no GOSYNC_* variable of its own. */
  public Run cli(Map<String, String> env, String... args) throws IOException, InterruptedException {
    return cli(CLI_WITHIN, env, args);
  }

  private Run cli(Duration within, Map<String, String> env, String... args) throws IOException, InterruptedException {
    return run(within, List.of(LAUNCHER.toString()), Path.of("").toAbsolutePath(), env, args);
  }

  /**
   * The CLI as an operator starts it through a launcher script (target/gosync, or a copy or link of it), in
   * directory, with env added as for {@link #cli(Map, String...)}.
   */
  public Run launch(Path launcher, Path directory, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    return run(CLI_WITHIN, List.of(launcher.toString()), directory, env, args);
  }

  private Run run(Duration within, List<String> program, Path directory, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(base, "cli-", ".out");
    Path err = Files.createTempFile(base, "cli-", ".err");
    List<String> command = new ArrayList<>(program);
    command.addAll(List.of(args));
    ProcessBuilder builder = withoutGosyncVariables(new ProcessBuilder(command)).directory(directory.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(within.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      fail("gosync " + String.join(" ", args) + " did not finish within " + within.toSeconds() + " s\n"
          + Files.readString(out) + Files.readString(err));
    }
    return new Run(List.of(args), process.exitValue(), Files.readString(out), Files.readString(err));
  }

  public static void assertSucceeds(Run run) {
    assertEquals(0, run.code(), run.toString());
  }

  // ---- details ----

  private Path ca() {
    return base.resolve("ca");
  }

  private Path certs(String name) {
    return ca().resolve(name);
  }

  /** One step of a bounded polling loop. */
  private void pause(long deadline, String waitingFor) throws InterruptedException {
    if (System.nanoTime() > deadline) {
      fail("gave up after " + READY_WITHIN.toSeconds() + " s waiting for " + waitingFor + logs());
    }
    Thread.sleep(250);
  }

  private static ProcessBuilder withoutGosyncVariables(ProcessBuilder builder) {
    builder.environment().keySet().removeIf(name -> name.startsWith("GOSYNC_"));
    return builder;
  }

  private static String java() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
