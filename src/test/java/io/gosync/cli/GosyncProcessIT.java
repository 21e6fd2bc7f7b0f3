package io.gosync.cli;

import io.gosync.testkit.DaemonProcesses;
import io.gosync.testkit.DaemonProcesses.Daemon;
import io.gosync.testkit.DaemonProcesses.Options;
import io.gosync.testkit.DaemonProcesses.Run;
import io.gosync.testkit.Trees;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static io.gosync.testkit.DaemonProcesses.assertSucceeds;
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
  private static final String SOURCE = "/data/x";
  /**
   * This daemon runs under strace, which records its fsync and rename calls (through seccomp, so
   * only those calls stop it): the proof that landing is durable.
   */
  private static final String TRACED = "node2";

  @TempDir
  static Path base;

  /** Shows the daemons' logs next to a failed test and stops them after the last. */
  @RegisterExtension
  static final DaemonProcesses daemons = new DaemonProcesses();

  @BeforeAll
  static void startDaemons() throws Exception {
    daemons.start(base, Options.of(NODES).withConfig("progressIntervalMs", 200)
        .withCommandPrefix(TRACED, List.of("strace", "-f", "--seccomp-bpf", "-qq", "-e", "signal=none",
            "-e", "trace=fsync,rename,renameat,renameat2", "-o", trace().toString())));
    Trees.mixed(node0().path(SOURCE), 7, 3 << 20);
    daemons.awaitReady();
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
    assertSameTree(node0().path(SOURCE), daemons.daemon("node1").path("/data/partial"));
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
    int port = FreePorts.next();
    Run run = client("nodes", "--via", "127.0.0.1:" + port);

    assertEquals(1, run.code(), run.toString());
    assertEquals("gosync: cannot talk to the daemon at 127.0.0.1:" + port + ": java.net.ConnectException: Connection refused",
        run.err().strip(), run.toString());
  }

  @Test
  void theCertsDirectoryMayComeFromGosyncCertsAsForTheDaemon() throws Exception {
    Run run = daemons.cli(Map.of("GOSYNC_CERTS", node0().certs().toString()), "nodes", "--via", via());

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

    HttpResponse<String> response = daemons.send(request);

    assertEquals(401, response.statusCode(), response.body());
  }

  @Test
  void durableLandingSyncsEachFileBeforeItsRenameAndEachDirectoryAfterwards() throws Exception {
    int before = Files.readAllLines(trace()).size();
    assertSucceeds(client("sync", "--via", via(), "--src", SOURCE, "--dst", "/data/durable", "--targets", TRACED));
    List<String> calls = Files.readAllLines(trace());
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
    assertSameTree(node0().path(SOURCE), daemons.daemon(TRACED).path("/data/durable"));
  }

  // ---- helpers ----

  private static void assertTargetsEqualSource(String dst) throws IOException {
    for (int i = 1; i < NODES; i++) {
      Daemon target = daemons.daemon("node" + i);
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

  private static Run client(String command, String... args) throws IOException, InterruptedException {
    return daemons.client(command, args);
  }

  private static Run gosync(String... args) throws IOException, InterruptedException {
    return daemons.cli(args);
  }

  private static Path trace() {
    return base.resolve(TRACED + ".strace");
  }

  private static Daemon node0() {
    return daemons.node0();
  }

  private static String via() {
    return daemons.via();
  }
}
