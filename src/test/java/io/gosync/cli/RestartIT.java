package io.gosync.cli;

import io.gosync.testkit.Trees;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

import static io.gosync.testkit.Trees.assertSameTree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Daemons as processes, restarted as operators restart them: killed with SIGKILL and started again with the
 * same name, certificate and ports; and started a second time elsewhere while the first still runs. Runs
 * under failsafe, after `package` has built target/gosync.jar.
 */
class RestartIT {

  /** Short, so that Hazelcast's own detection of a dead member is inside the test's time. */
  private static final int HEARTBEAT_TIMEOUT_SECONDS = 5;
  /** What issue 10 asks: a restarted daemon is a valid target again within this. */
  private static final Duration VALID_AGAIN_WITHIN = Duration.ofSeconds(HEARTBEAT_TIMEOUT_SECONDS + 5);
  private static final Duration READY_WITHIN = Duration.ofSeconds(120);
  private static final Path JAR = Path.of("target", "gosync.jar").toAbsolutePath();
  private static final Path JVM_OPTIONS = Path.of("config", "daemon-jvm.options").toAbsolutePath();
  private static final String SOURCE = "/data/x";
  private static final String RESTARTED = "node1";

  @TempDir
  static Path base;

  private static final Map<String, Daemon> daemons = new LinkedHashMap<>();
  private static final List<Process> started = new ArrayList<>();
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static Path config;
  private static final List<String> members = new ArrayList<>();

  record Daemon(String name, int dataPort, int httpPort, int clusterPort, Path log, Process process) {
  }

  record Run(List<String> args, int code, String out, String err) {
    @Override
    public String toString() {
      return "gosync " + String.join(" ", args) + "\nexit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  @BeforeAll
  static void startDaemons() throws Exception {
    assertTrue(Files.isRegularFile(JAR), JAR + " is missing: run `mvn package` first");
    assertEquals(0, gosync("certs", "init", base.resolve("ca").toString()).code());
    config = Files.writeString(base.resolve("cluster.json"), new JsonObject()
        .put("clusterName", "gosync-restart-" + UUID.randomUUID()).put("heartbeatMs", 500)
        .put("clusterHeartbeatTimeoutSeconds", HEARTBEAT_TIMEOUT_SECONDS).encodePrettily());
    List<String> names = List.of("node0", RESTARTED, "node2");
    Map<String, Integer> clusterPorts = new LinkedHashMap<>();
    for (String name : names) {
      clusterPorts.put(name, FreePorts.next());
      members.add("127.0.0.1:" + clusterPorts.get(name));
      assertEquals(0, gosync("certs", "issue", base.resolve("ca").toString(), name, "--host", "127.0.0.1").code());
      Files.createDirectories(base.resolve(name).resolve("data"));
    }
    for (String name : names) {
      daemons.put(name, start(name, FreePorts.next(), FreePorts.next(), clusterPorts.get(name)));
    }
    Trees.mixed(base.resolve("node0").resolve(SOURCE.substring(1)), 11, 1 << 20);
    for (Daemon daemon : daemons.values()) {
      awaitHealthy(daemon);
    }
    awaitListedOnce(names);
  }

  @AfterAll
  static void stopDaemons() throws InterruptedException {
    started.forEach(Process::destroy);
    for (Process process : started) {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aDaemonKilledAndRestartedIsATargetAgainByNameAndListedOnce() throws Exception {
    Daemon old = daemons.get(RESTARTED);
    old.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    Daemon again = start(RESTARTED, old.dataPort(), old.httpPort(), old.clusterPort());
    awaitHealthy(again);
    long deadline = System.nanoTime() + VALID_AGAIN_WITHIN.toNanos();

    Run sync = syncUntilOk("/data/after-kill", deadline);

    assertEquals(0, sync.code(), () -> "not a valid target " + VALID_AGAIN_WITHIN.toSeconds()
        + " s after its restart:\n" + sync + logs());
    assertSameTree(base.resolve("node0").resolve(SOURCE.substring(1)),
        base.resolve(RESTARTED).resolve("data/after-kill"));
    assertListedOnce(RESTARTED);
  }

  @Test
  void aSecondStartOfANodeTakesItsNameAndTheFirstWithdraws() throws Exception {
    Daemon first = daemons.get(RESTARTED);
    Daemon second = start(RESTARTED, FreePorts.next(), FreePorts.next(), FreePorts.next());
    awaitHealthy(second);

    assertTrue(first.process().waitFor(VALID_AGAIN_WITHIN.toSeconds(), TimeUnit.SECONDS),
        () -> "the first " + RESTARTED + " still runs beside the second" + logs());
    assertEquals(1, first.process().exitValue());
    assertTrue(Files.readString(first.log()).contains("proved its name by its certificate"), RestartIT::logs);
    Run sync = syncUntilOk("/data/after-second-start", System.nanoTime() + VALID_AGAIN_WITHIN.toNanos());
    assertEquals(0, sync.code(), () -> sync + logs());
    assertListedOnce(RESTARTED);
    JsonObject entry = nodes(daemons.get("node0")).stream().map(JsonObject.class::cast)
        .filter(node -> RESTARTED.equals(node.getString("name"))).findFirst().orElseThrow();
    assertEquals(second.dataPort(), entry.getInteger("dataPort"), entry.encode());
    assertFalse(second.process().waitFor(2, TimeUnit.SECONDS), () -> "the second " + RESTARTED + " stopped" + logs());
  }

  // ---- daemons ----

  private static Daemon start(String name, int dataPort, int httpPort, int clusterPort) throws IOException {
    Path log = base.resolve(name + "-" + started.size() + ".log");
    Process process = new ProcessBuilder(java(), "@" + JVM_OPTIONS, "-jar", JAR.toString(), "daemon",
        "--config", config.toString(), "--certs", certs(name).toString(), "--name", name, "--host", "127.0.0.1",
        "--data-port", String.valueOf(dataPort), "--http-port", String.valueOf(httpPort),
        "--cluster-port", String.valueOf(clusterPort), "--cluster-members", String.join(",", members),
        "--root", base.resolve(name).toString(), "--allow", "/data")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    started.add(process);
    Daemon daemon = new Daemon(name, dataPort, httpPort, clusterPort, log, process);
    daemons.put(name, daemon);
    return daemon;
  }

  /** Syncs the source to the restarted node, again and again until it ends ok or the deadline passes. */
  private static Run syncUntilOk(String dst, long deadline) throws Exception {
    while (true) {
      Run run = client("sync", "--src", SOURCE, "--dst", dst, "-t", RESTARTED);
      if (run.code() == 0 || System.nanoTime() > deadline) {
        return run;
      }
      Thread.sleep(250);
    }
  }

  /** `gosync nodes` has one line for this node. */
  private static void assertListedOnce(String name) throws Exception {
    Run run = client("nodes");
    assertEquals(0, run.code(), run.toString());
    long lines = run.out().lines().skip(1).filter(line -> line.trim().split("\\s+")[0].equals(name)).count();
    assertEquals(1, lines, () -> run + logs());
  }

  private static void awaitHealthy(Daemon daemon) throws Exception {
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    while (!healthy(daemon)) {
      if (!daemon.process().isAlive() || System.nanoTime() > deadline) {
        fail(daemon.name() + " did not become healthy" + logs());
      }
      Thread.sleep(250);
    }
  }

  private static void awaitListedOnce(List<String> names) throws Exception {
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    while (true) {
      JsonArray nodes = nodes(daemons.get("node0"));
      if (nodes != null && nodes.size() == names.size()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        fail("node0 lists " + nodes + logs());
      }
      Thread.sleep(250);
    }
  }

  private static boolean healthy(Daemon daemon) throws InterruptedException {
    try {
      HttpResponse<String> response = get(daemon, "/health");
      return response.statusCode() == 200 && "UP".equals(new JsonObject(response.body()).getString("status"));
    } catch (IOException e) {
      return false;
    }
  }

  private static JsonArray nodes(Daemon daemon) throws InterruptedException {
    try {
      HttpResponse<String> response = get(daemon, "/api/v1/nodes");
      return response.statusCode() == 200 ? new JsonArray(response.body()) : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static HttpResponse<String> get(Daemon daemon, String path) throws IOException, InterruptedException {
    String token = Files.readString(certs(daemon.name()).resolve("token")).strip();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.httpPort() + path))
        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).GET().build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Every daemon's log, for a failure's message. */
  private static String logs() {
    StringBuilder out = new StringBuilder();
    try (var files = Files.list(base)) {
      for (Path log : files.filter(file -> file.toString().endsWith(".log")).sorted().toList()) {
        out.append("\n===== ").append(log.getFileName()).append(" =====\n").append(Files.readString(log));
      }
    } catch (IOException e) {
      out.append("\n(cannot read the logs: ").append(e).append(")");
    }
    return out.toString();
  }

  // ---- the CLI ----

  /** A client command as an operator on node0's host runs it. */
  private static Run client(String command, String... args) throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of(command, "--certs", certs("node0").toString(),
        "--via", "127.0.0.1:" + daemons.get("node0").httpPort()));
    all.addAll(List.of(args));
    return gosync(all.toArray(String[]::new));
  }

  private static Run gosync(String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile(base, "cli-", ".out");
    Path err = Files.createTempFile(base, "cli-", ".err");
    List<String> command = new ArrayList<>(List.of(java(), "-jar", JAR.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("GOSYNC_"));
    Process process = builder.start();
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      fail("gosync " + String.join(" ", args) + " did not finish within 180 s");
    }
    return new Run(List.of(args), process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static Path certs(String name) {
    return base.resolve("ca").resolve(name);
  }

  private static String java() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
