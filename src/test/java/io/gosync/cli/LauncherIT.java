package io.gosync.cli;

import io.gosync.testkit.DaemonProcesses;
import io.gosync.testkit.DaemonProcesses.Options;
import io.gosync.testkit.DaemonProcesses.Run;
import io.gosync.testkit.Trees;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

import static io.gosync.testkit.DaemonProcesses.assertSucceeds;
import static io.gosync.testkit.Trees.assertSameTree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher `mvn package` builds, target/gosync, as an operator runs it: by its path or through a link on
 * the PATH, from another directory, against real daemons (each its own JVM from the jar); with its class-data
 * archive, and without one (missing, or made for another jar). Runs under failsafe, after `package`.
 */
class LauncherIT {

  private static final String SOURCE = "/data/x";
  /** What -Xlog:class+load says of a class mapped from the dynamic archive (the base one is the JDK's own). */
  private static final String FROM_THE_ARCHIVE = "source: shared objects file (top)";

  @TempDir
  static Path base;

  @RegisterExtension
  static final DaemonProcesses daemons = new DaemonProcesses();

  @BeforeAll
  static void startDaemons() throws Exception {
    daemons.start(base, Options.of(2));
    Trees.mixed(daemons.node0().path(SOURCE), 11, 1 << 20);
    daemons.awaitReady();
  }

  @Test
  void syncAndStatusFromAnotherDirectory() throws Exception {
    Path elsewhere = Files.createDirectories(base.resolve("elsewhere"));

    Run sync = launch(DaemonProcesses.LAUNCHER, elsewhere, Map.of(), "sync", "--via", daemons.via(), "--certs", certs(),
        "--src", SOURCE, "--dst", "/data/launched", "-t", "node1", "--json");

    assertSucceeds(sync);
    assertEquals("", sync.err(), sync.toString());
    assertSameTree(daemons.node0().path(SOURCE), daemons.daemon("node1").path("/data/launched"));
    String id = new JsonObject(sync.out()).getString("id");
    Run status = launch(DaemonProcesses.LAUNCHER, elsewhere, Map.of(), "status", "--via", daemons.via(), "--certs", certs(), id);
    assertSucceeds(status);
    assertTrue(status.out().contains("state: done") && status.out().contains(id), status.toString());
  }

  @Test
  void throughALinkOnThePath() throws Exception {
    Path bin = Files.createDirectories(base.resolve("bin"));
    Path link = Files.createSymbolicLink(bin.resolve("gosync"), DaemonProcesses.LAUNCHER);

    Run nodes = launch(link, bin, Map.of(), "nodes", "--via", daemons.via(), "--certs", certs());

    assertSucceeds(nodes);
    assertTrue(nodes.out().contains("node0") && nodes.out().contains("node1"), nodes.toString());
  }

  @Test
  void theCliStartsFromTheArchiveWithC1Alone() throws Exception {
    Path log = base.resolve("classes-launcher.log");

    Run nodes = launch(DaemonProcesses.LAUNCHER, base, jvmOptions("-Xlog:class+load:file=" + log + " -XX:+PrintCommandLineFlags"),
        "nodes", "--via", daemons.via(), "--certs", certs());

    assertSucceeds(nodes);
    assertTrue(nodes.out().contains("-XX:TieredStopAtLevel=1"), nodes.toString());
    long archived = Files.readAllLines(log).stream().filter(line -> line.contains(FROM_THE_ARCHIVE)).count();
    // A nodes call maps about 420 classes from it; without the archive, none (the tests below).
    assertTrue(archived > 300, archived + " classes from the archive");
  }

  @Test
  void withoutTheArchiveTheCliStillWorks() throws Exception {
    Path install = install("no-archive", false);

    assertSyncsWithoutTheArchive(install, "/data/no-archive");
  }

  @Test
  void anArchiveOfAnotherJarIsPassedOver() throws Exception {
    Path install = install("stale-archive", true);

    assertSyncsWithoutTheArchive(install, "/data/stale-archive");
  }

  @Test
  void theDaemonGetsTheDaemonsJvmOptions() throws Exception {
    Run help = launch(DaemonProcesses.LAUNCHER, base, jvmOptions("-XX:+PrintCommandLineFlags"), "daemon", "--help");

    assertSucceeds(help);
    // config/daemon-jvm.options: -Xmx256m and the serial collector; never C1 alone, which hashes ten times slower.
    assertTrue(help.out().contains("-XX:MaxHeapSize=268435456") && help.out().contains("-XX:+UseSerialGC"),
        help.toString());
    assertFalse(help.out().contains("TieredStopAtLevel"), help.toString());
    assertTrue(help.out().contains("Run a gosync node."), help.toString());
  }

  // ---- helpers ----

  /**
   * A copy of what package put in target/ (launcher, jar, daemon options) in a directory of its own, with the
   * archive beside it or not. The archive names the jar it was made from, and this jar is another file.
   */
  private static Path install(String name, boolean withTheArchive) throws IOException {
    Path install = Files.createDirectories(base.resolve(name));
    for (String file : withTheArchive ? new String[] {"gosync", "gosync.jar", "daemon-jvm.options", "gosync.jsa"}
        : new String[] {"gosync", "gosync.jar", "daemon-jvm.options"}) {
      Files.copy(DaemonProcesses.LAUNCHER.resolveSibling(file), install.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
    }
    return install;
  }

  private static void assertSyncsWithoutTheArchive(Path install, String dst) throws Exception {
    Path log = base.resolve("classes-" + install.getFileName() + ".log");

    Run sync = launch(install.resolve("gosync"), base, jvmOptions("-Xlog:class+load:file=" + log), "sync",
        "--via", daemons.via(), "--certs", certs(), "--src", SOURCE, "--dst", dst, "-t", "node1");

    assertSucceeds(sync);
    assertEquals("Picked up JAVA_TOOL_OPTIONS: -Xlog:class+load:file=" + log, sync.err().strip(), sync.toString());
    assertSameTree(daemons.node0().path(SOURCE), daemons.daemon("node1").path(dst));
    assertEquals(0, Files.readAllLines(log).stream().filter(line -> line.contains(FROM_THE_ARCHIVE)).count());
  }

  /** JVM options the launcher's own ones cannot override, as a user sets them for any Java program. */
  private static Map<String, String> jvmOptions(String options) {
    return Map.of("JAVA_TOOL_OPTIONS", options);
  }

  /**
   * The launcher with JAVA_HOME naming this JVM, the one Maven ran and made the archive with: the PATH's java
   * may be another.
   */
  private static Run launch(Path launcher, Path directory, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    Map<String, String> withJavaHome = new HashMap<>(env);
    withJavaHome.put("JAVA_HOME", System.getProperty("java.home"));
    return daemons.launch(launcher, directory, withJavaHome, args);
  }

  private static String certs() {
    return daemons.node0().certs().toString();
  }
}
