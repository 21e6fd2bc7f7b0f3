package io.gosync.cli;

import io.gosync.testkit.Trees;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.gosync.testkit.Trees.assertNoTemporaryFiles;
import static io.gosync.testkit.Trees.assertSameTree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The packaged jar as users run it: three daemons, each its own JVM, and the CLI as a fourth
 * process per command. Runs under failsafe, after `package` has built target/gosync.jar.
 */
class GosyncProcessIT {

  private static final int NODES = 3;
  private static final Duration READY_WITHIN = Duration.ofSeconds(120);
  private static final Duration CLI_WITHIN = Duration.ofSeconds(180);
  private static final Path JAR = Path.of("target", "gosync.jar").toAbsolutePath();
  /** The daemons run with the JVM options we ship, so a flag the JVM rejects fails here. */
  private static final Path JVM_OPTIONS = Path.of("config", "daemon-jvm.options").toAbsolutePath();
  private static final String SOURCE = "/data/x";
  /**
   * This daemon runs under strace, which records its fsync and rename calls (through seccomp, so
   * only those calls stop it): the proof that landing is durable.
   */
  private static final String TRACED = "node2";

  @TempDir
  static Path base;

  private static final List<Daemon> daemons = new ArrayList<>();
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** Shows the daemons' logs next to a failure. */
  @RegisterExtension
  static final TestWatcher LOGS_ON_FAILURE = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      printDaemonLogs(context.getDisplayName());
    }
  };

  record Daemon(String name, int dataPort, int httpPort, int clusterPort, Path root, Path log, Process process) {
    Path path(String taskPath) {
      return root.resolve(taskPath.substring(1));
    }
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
    // The cluster's CA and each node's certs directory, made with the CLI as README says.
    String ca = base.resolve("ca").toString();
    assertSucceeds(gosync("certs", "init", ca));
    String cluster = "gosync-it-" + UUID.randomUUID();
    Path config = Files.writeString(base.resolve("cluster.json"), new JsonObject()
        .put("clusterName", cluster).put("heartbeatMs", 500).put("progressIntervalMs", 200).encodePrettily());
    int[] clusterPorts = new int[NODES];
    List<String> members = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      clusterPorts[i] = freePort();
      members.add("127.0.0.1:" + clusterPorts[i]);
    }
    for (int i = 0; i < NODES; i++) {
      String name = "node" + i;
      Path root = Files.createDirectories(base.resolve(name));
      // Task paths are confined to /data; its parent must exist for a destination below it.
      Files.createDirectories(root.resolve("data"));
      int dataPort = freePort();
      int httpPort = freePort();
      Path log = base.resolve(name + ".log");
      assertSucceeds(gosync("certs", "issue", ca, name, "--host", "127.0.0.1"));
      List<String> command = new ArrayList<>();
      if (name.equals(TRACED)) {
        command.addAll(List.of("strace", "-f", "--seccomp-bpf", "-qq", "-e", "signal=none",
            "-e", "trace=fsync,rename,renameat,renameat2", "-o", base.resolve(name + ".strace").toString()));
      }
      command.addAll(List.of(java(), "@" + JVM_OPTIONS, "-jar", JAR.toString(), "daemon",
          "--config", config.toString(), "--certs", base.resolve("ca").resolve(name).toString(),
          "--name", name, "--host", "127.0.0.1",
          "--data-port", String.valueOf(dataPort), "--http-port", String.valueOf(httpPort),
          "--cluster-port", String.valueOf(clusterPorts[i]), "--cluster-members", String.join(",", members),
          "--root", root.toString(), "--allow", "/data"));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      daemons.add(new Daemon(name, dataPort, httpPort, clusterPorts[i], root, log, builder.start()));
    }
    Trees.mixed(daemons.get(0).path(SOURCE), 7, 3 << 20);
    try {
      awaitReady();
    } catch (Throwable e) {
      printDaemonLogs("startup");
      throw e;
    }
  }

  @AfterAll
  static void stopDaemons() throws InterruptedException {
    // The daemon itself first: under strace, SIGTERM to strace would only detach it.
    daemons.forEach(daemon -> daemon.process().descendants().forEach(ProcessHandle::destroy));
    daemons.forEach(daemon -> daemon.process().destroy());
    for (Daemon daemon : daemons) {
      if (!daemon.process().waitFor(30, TimeUnit.SECONDS)) {
        // Not a test failure (the tests are over), but worth seeing: SIGTERM should stop a daemon.
        System.out.println(daemon.name() + " did not stop within 30 s of SIGTERM; killing it");
        daemon.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void syncWithLongSpellingsMakesEveryTargetEqualTheSource() throws Exception {
    Run run = client("sync", "--via", via(), "--src", SOURCE, "--dst", "/data/y", "--targets", "node1,node2", "--delete");

    assertEquals(0, run.code(), run.toString());
    assertEquals(Map.of("node1", "ok", "node2", "ok"), targetLines(run), run.toString());
    assertTargetsEqualSource("/data/y");
  }

  @Test
  void syncWithSeedSpellings() throws Exception {
    Run run = client("sync", "-h", "127.0.0.1", "-p", String.valueOf(node0().httpPort()),
        "-src", SOURCE, "-dst", "/data/z", "-t", "node1,node2", "-d=true", "-z", "-o=false");

    assertEquals(0, run.code(), run.toString());
    assertEquals(Map.of("node1", "ok", "node2", "ok"), targetLines(run), run.toString());
    assertTargetsEqualSource("/data/z");
  }

  @Test
  void rerunWithNothingChangedIsUnchanged() throws Exception {
    String[] args = {"--via", via(), "--src", SOURCE, "--dst", "/data/again", "--targets", "node1,node2", "--delete"};
    Run first = client("sync", args);
    assertEquals(0, first.code(), first.toString());

    Run second = client("sync", args);

    assertEquals(0, second.code(), second.toString());
    assertEquals(Map.of("node1", "unchanged", "node2", "unchanged"), targetLines(second), second.toString());
    assertTargetsEqualSource("/data/again");
  }

  @Test
  void jsonReportAndStatusOfItsTask() throws Exception {
    Run run = client("sync", "--via", via(), "--src", SOURCE, "--dst", "/data/j", "-t", "node1,node2", "--json");
    assertEquals(0, run.code(), run.toString());
    JsonObject task = new JsonObject(run.out());
    JsonArray targets = task.getJsonArray("targets");
    assertEquals(2, targets.size(), task.encodePrettily());
    Set<String> statuses = new TreeSet<>();
    targets.forEach(item -> statuses.add(((JsonObject) item).getString("target") + "=" + ((JsonObject) item).getString("status")));
    assertEquals(Set.of("node1=ok", "node2=ok"), statuses);
    String id = task.getString("id");
    assertTrue(id != null && !id.isBlank(), task.encodePrettily());

    Run status = client("status", "--via", via(), id);
    assertEquals(0, status.code(), status.toString());
    assertTrue(status.out().contains("state: done"), status.toString());
    assertTrue(status.out().contains(id), status.toString());
    assertEquals(Map.of("node1", "ok", "node2", "ok"), targetLines(status), status.toString());

    Run statusJson = client("status", "--via", via(), "--json", id);
    assertEquals(0, statusJson.code(), statusJson.toString());
    assertEquals(id, new JsonObject(statusJson.out()).getString("id"));
  }

  @Test
  void unknownTargetFailsAloneAndTheExitCodeSaysSo() throws Exception {
    Run run = client("sync", "--via", via(), "--src", SOURCE, "--dst", "/data/partial", "-t", "node1,nosuchnode");

    assertEquals(1, run.code(), run.toString());
    assertEquals(Map.of("node1", "ok", "nosuchnode", "failed"), targetLines(run), run.toString());
    assertSameTree(node0().path(SOURCE), daemons.get(1).path("/data/partial"));
  }

  @Test
  void missingSrcIsAUsageError() throws Exception {
    Run run = client("sync", "--via", via(), "--dst", "/data/u", "-t", "node1");

    assertEquals(2, run.code(), run.toString());
  }

  @Test
  void relativeSrcIsAUsageError() throws Exception {
    Run run = client("sync", "--via", via(), "--src", "data/x", "--dst", "/data/u", "-t", "node1");

    assertEquals(2, run.code(), run.toString());
    assertTrue(run.err().contains("src"), run.toString());
  }

  @Test
  void srcOutsideTheAllowedDirectoriesIsAUsageError() throws Exception {
    Run run = client("sync", "--via", via(), "--src", "/etc", "--dst", "/data/u", "-t", "node1");

    assertEquals(2, run.code(), run.toString());
    assertTrue(run.err().contains("outside"), run.toString());
  }

  @Test
  void nodesListsTheCluster() throws Exception {
    Run run = client("nodes", "--via", via());

    assertEquals(0, run.code(), run.toString());
    Set<String> names = new TreeSet<>();
    run.out().lines().skip(1).map(line -> line.trim().split("\\s+")[0]).filter(name -> !name.isEmpty()).forEach(names::add);
    assertEquals(Set.of("node0", "node1", "node2"), names, run.toString());
  }

  @Test
  void statusOfAnUnknownTaskIsAUsageError() throws Exception {
    Run run = client("status", "--via", via(), "no-such-task");

    assertEquals(2, run.code(), run.toString());
    assertTrue(run.err().contains("no-such-task"), run.toString());
  }

  @Test
  void noDaemonAtTheAddressFails() throws Exception {
    int port = freePort();
    Run run = client("nodes", "--via", "127.0.0.1:" + port);

    assertEquals(1, run.code(), run.toString());
    assertEquals("gosync: cannot talk to the daemon at 127.0.0.1:" + port + ": java.net.ConnectException: Connection refused",
        run.err().strip(), run.toString());
  }

  @Test
  void theCertsDirectoryMayComeFromGosyncCertsAsForTheDaemon() throws Exception {
    Run run = gosync(Map.of("GOSYNC_CERTS", certs(node0()).toString()), "nodes", "--via", via());

    assertEquals(0, run.code(), run.toString());
    assertTrue(run.out().contains("node2"), run.toString());
  }

  @Test
  void withoutCertsTheCliSaysHowToNameThem() throws Exception {
    Run run = gosync("nodes", "--via", via());

    assertEquals(2, run.code(), run.toString());
    assertTrue(run.err().contains("no certs directory") && run.err().contains("--certs DIR")
        && run.err().contains("GOSYNC_CERTS"), run.toString());
  }

  @Test
  void aTokenOfAnotherClusterIsRefusedWithAClearMessage() throws Exception {
    Path other = base.resolve("other-ca");
    assertSucceeds(gosync("certs", "init", other.toString()));

    Run run = gosync("nodes", "--via", via(), "--certs", other.toString());

    assertEquals(2, run.code(), run.toString());
    assertTrue(run.err().contains("does not match this cluster"), run.toString());
  }

  @Test
  void plainHttpWithoutTheTokenIsRefused() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + via() + "/api/v1/nodes"))
        .timeout(Duration.ofSeconds(5)).GET().build();

    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

    assertEquals(401, response.statusCode(), response.body());
  }

  // ---- helpers ----

  @Test
  void durableLandingSyncsEachFileBeforeItsRenameAndEachDirectoryAfterwards() throws Exception {
    Path trace = base.resolve(TRACED + ".strace");
    int before = Files.readAllLines(trace).size();
    assertSucceeds(client("sync", "--via", via(), "--src", SOURCE, "--dst", "/data/durable", "--targets", TRACED));
    List<String> calls = Files.readAllLines(trace);
    calls = calls.subList(before, calls.size());

    Map<String, String> lastCallOfThread = new HashMap<>();
    int temporaryRenames = 0;
    int fsyncsAfterTheLastRename = 0;
    for (String line : calls) {
      String[] thread = line.split(" +", 2);
      if (thread.length < 2 || thread[1].startsWith("<...")) {
        continue; // the rest of a call strace had to split
      }
      String call = thread[1].substring(0, Math.max(0, thread[1].indexOf('(')));
      if (call.startsWith("rename") && thread[1].contains("\".gosync-")) {
        assertEquals("fsync", lastCallOfThread.get(thread[0]), "no fsync of its data before " + line);
        temporaryRenames++;
        fsyncsAfterTheLastRename = 0;
      } else if (call.equals("fsync")) {
        fsyncsAfterTheLastRename++;
      }
      lastCallOfThread.put(thread[0], call);
    }
    long files;
    long directories;
    try (Stream<Path> paths = Files.walk(node0().path(SOURCE))) {
      List<Path> all = paths.filter(path -> !Files.isSymbolicLink(path)).toList();
      files = all.stream().filter(Files::isRegularFile).count();
      directories = all.stream().filter(Files::isDirectory).count();
    }
    assertEquals(files, temporaryRenames, "every landed file renamed from its temporary name once");
    assertTrue(fsyncsAfterTheLastRename >= directories + 1,
        fsyncsAfterTheLastRename + " fsyncs after the last rename; the tree has " + directories + " directories and a parent");
    assertSameTree(node0().path(SOURCE), daemon(TRACED).path("/data/durable"));
  }

  private static void assertSucceeds(Run run) {
    assertEquals(0, run.code(), run.toString());
  }

  private static void assertTargetsEqualSource(String dst) throws IOException {
    for (Daemon target : daemons.subList(1, NODES)) {
      assertSameTree(node0().path(SOURCE), target.path(dst));
      assertNoTemporaryFiles(target.path(dst));
    }
  }

  /** The report's target lines, after its TARGET header: target name to status. */
  private static Map<String, String> targetLines(Run run) {
    Map<String, String> out = new LinkedHashMap<>();
    boolean inTable = false;
    for (String line : run.out().lines().toList()) {
      if (line.startsWith("TARGET ")) {
        inTable = true;
      } else if (inTable && !line.isBlank()) {
        String[] columns = line.trim().split("\\s+");
        if (out.put(columns[0], columns.length > 1 ? columns[1] : "") != null) {
          fail("two lines for " + columns[0] + "\n" + run);
        }
      }
    }
    return out;
  }

  /** A client command as an operator on node0's host runs it: with --certs naming node0's certs directory. */
  private static Run client(String command, String... args) throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of(command, "--certs", certs(node0()).toString()));
    all.addAll(List.of(args));
    return gosync(Map.of(), all.toArray(String[]::new));
  }

  private static Run gosync(String... args) throws IOException, InterruptedException {
    return gosync(Map.of(), args);
  }

  /** The CLI as its own process, with env added to an environment that has no GOSYNC_* variable of its own. */
  private static Run gosync(Map<String, String> env, String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile(base, "cli-", ".out");
    Path err = Files.createTempFile(base, "cli-", ".err");
    List<String> command = new ArrayList<>(List.of(java(), "-jar", JAR.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("GOSYNC_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(CLI_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      fail("gosync " + String.join(" ", args) + " did not finish within " + CLI_WITHIN.toSeconds() + " s\n"
          + Files.readString(out) + Files.readString(err));
    }
    return new Run(List.of(args), process.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** Every daemon answers /health, then node0 sees all of them in the cluster. */
  private static void awaitReady() throws Exception {
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    for (Daemon daemon : daemons) {
      while (!healthy(daemon)) {
        checkAlive(daemon);
        pause(deadline, "/health of " + daemon.name());
      }
    }
    while (true) {
      JsonArray nodes = nodes(node0());
      if (nodes != null && nodes.size() == NODES) {
        return;
      }
      pause(deadline, "node0 to list " + NODES + " nodes, it lists " + (nodes == null ? "none" : nodes.encode()));
    }
  }

  private static boolean healthy(Daemon daemon) throws InterruptedException {
    try {
      HttpResponse<String> response = get(daemon, "/health");
      return response.statusCode() == 200 && "UP".equals(new JsonObject(response.body()).getString("status"));
    } catch (IOException e) {
      return false; // not listening yet
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
    String token = Files.readString(certs(daemon).resolve("token")).strip();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.httpPort() + path))
        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).GET().build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static void checkAlive(Daemon daemon) {
    if (!daemon.process().isAlive()) {
      fail(daemon.name() + " exited with " + daemon.process().exitValue() + " before it was ready");
    }
  }

  /** One step of a bounded polling loop. */
  private static void pause(long deadline, String waitingFor) throws InterruptedException {
    if (System.nanoTime() > deadline) {
      fail("gave up after " + READY_WITHIN.toSeconds() + " s waiting for " + waitingFor);
    }
    Thread.sleep(250);
  }

  private static void printDaemonLogs(String when) {
    for (Daemon daemon : daemons) {
      try {
        System.out.println("===== " + daemon.name() + " log (" + when + ") =====");
        System.out.println(Files.exists(daemon.log()) ? Files.readString(daemon.log()) : "(no log)");
      } catch (IOException e) {
        System.out.println("cannot read " + daemon.log() + ": " + e);
      }
    }
  }

  private static Path certs(Daemon daemon) {
    return base.resolve("ca").resolve(daemon.name());
  }

  private static Daemon daemon(String name) {
    return daemons.stream().filter(daemon -> daemon.name().equals(name)).findFirst().orElseThrow();
  }

  private static Daemon node0() {
    return daemons.get(0);
  }

  private static String via() {
    return "127.0.0.1:" + node0().httpPort();
  }

  private static String java() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private static int freePort() {
    return FreePorts.next();
  }
}
