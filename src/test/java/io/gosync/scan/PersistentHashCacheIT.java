package io.gosync.scan;

import io.gosync.testkit.DaemonProcesses;
import io.gosync.testkit.DaemonProcesses.Daemon;
import io.gosync.testkit.DaemonProcesses.Options;
import io.gosync.testkit.DaemonProcesses.Run;
import io.gosync.testkit.Trees;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

import static io.gosync.testkit.Trees.assertSameTree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The source's hash cache outlives its daemon: daemons as processes (target/gosync.jar, built by `package`), the
 * source killed with SIGKILL and started again with its name, ports and state directory, and the report's
 * hashedBytes (what the scan read to hash, as `gosync sync --json` prints it) as the figure. Runs under failsafe.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PersistentHashCacheIT {

  private static final int HEARTBEAT_TIMEOUT_SECONDS = 5;
  private static final String SOURCE = "/data/tree";

  @TempDir
  static Path base;

  @RegisterExtension
  static final DaemonProcesses daemons = new DaemonProcesses();

  private static long treeBytes;

  @BeforeAll
  static void startDaemons() throws Exception {
    daemons.start(base, Options.of(2).withConfig("clusterHeartbeatTimeoutSeconds", HEARTBEAT_TIMEOUT_SECONDS));
    Path tree = Trees.mixed(daemons.node0().path(SOURCE), 11, 1 << 20);
    try (var files = Files.walk(tree)) {
      treeBytes = files.filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)).mapToLong(file -> file.toFile().length()).sum();
    }
    daemons.awaitReady();
    // Hashes of files whose times are fresher than this are not kept (HashCache.SETTLE_SECONDS).
    Thread.sleep(TimeUnit.SECONDS.toMillis(HashCache.SETTLE_SECONDS + 1));
  }

  @Test
  @Order(1)
  void afterARestartOfTheSourceANoChangeResyncReadsNoFileContents() throws Exception {
    JsonObject first = sync("/data/copy1");
    assertEquals(treeBytes, first.getLong("hashedBytes"), first::encodePrettily);

    restartSource();
    JsonObject again = sync("/data/copy1");

    assertEquals(0, again.getLong("hashedBytes"), again::encodePrettily);
    assertEquals("unchanged", again.getJsonArray("targets").getJsonObject(0).getString("status"), again::encodePrettily);
    assertTrue(Files.readString(daemons.node0().log()).contains("hash cache: "), daemons::logs);
  }

  @Test
  @Order(2)
  void aFileRewrittenAfterTheRestartWithItsSizeAndMtimeKeptIsHashedAgain() throws Exception {
    sync("/data/copy2");
    restartSource();
    Path changed = daemons.node0().path(SOURCE).resolve("a/b1/f1.bin");
    FileTime mtime = Files.getLastModifiedTime(changed);
    try (RandomAccessFile file = new RandomAccessFile(changed.toFile(), "rw")) {
      int first = file.read();
      file.seek(0);
      file.write(first ^ 0xff);
    }
    Files.setLastModifiedTime(changed, mtime);

    JsonObject after = sync("/data/copy2");

    // Only its ctime shows the change; the target, which compares size and mtime, keeps its copy (as rsync).
    assertEquals(Files.size(changed), after.getLong("hashedBytes"), after::encodePrettily);
  }

  @Test
  @Order(3)
  void aDamagedCacheFileIsIgnoredWithOneLogLineAndTheSourceStillSyncs() throws Exception {
    sync("/data/copy3");
    Path cacheFile = base.resolve("state").resolve("hash-cache-node0");
    try (RandomAccessFile file = new RandomAccessFile(cacheFile.toFile(), "rw")) {
      file.seek(file.length() / 2);
      int b = file.read();
      file.seek(file.length() / 2);
      file.write(b ^ 0x01);
    }

    restartSource();
    JsonObject again = sync("/data/copy3");

    String log = Files.readString(daemons.node0().log());
    assertEquals(1, log.lines().filter(line -> line.contains("ignored, starting with an empty cache")).count(), log);
    assertTrue(log.contains("its checksum does not match its contents"), log);
    assertEquals(treeBytes, again.getLong("hashedBytes"), again::encodePrettily);
    assertSameTree(daemons.node0().path(SOURCE), daemons.daemon("node1").path("/data/copy3"));
  }

  /** Kills the source as an operator's kill -9 would, and starts it again with the same name, ports and config. */
  private static void restartSource() throws Exception {
    Daemon old = daemons.node0();
    old.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    Daemon again = daemons.start(old.name(), old.dataPort(), old.httpPort(), old.clusterPort());
    daemons.awaitReady();
    daemons.awaitHealthy(again);
  }

  /** Syncs the source to node1 and returns the task's report; retried while a restarted cluster settles. */
  private static JsonObject sync(String dst) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HEARTBEAT_TIMEOUT_SECONDS + 10);
    while (true) {
      Run run = daemons.client("sync", "--via", daemons.via(), "--src", SOURCE, "--dst", dst, "-t", "node1", "--json");
      if (run.code() == 0) {
        return new JsonObject(run.out());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(run + daemons.logs());
      }
      Thread.sleep(250);
    }
  }
}
