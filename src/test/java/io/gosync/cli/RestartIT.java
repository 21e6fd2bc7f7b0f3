package io.gosync.cli;

import io.gosync.testkit.DaemonProcesses;
import io.gosync.testkit.DaemonProcesses.Daemon;
import io.gosync.testkit.DaemonProcesses.Options;
import io.gosync.testkit.DaemonProcesses.Run;
import io.gosync.testkit.Trees;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.gosync.testkit.Trees.assertSameTree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  private static final String SOURCE = "/data/x";
  private static final String RESTARTED = "node1";

  @TempDir
  static Path base;

  /** Shows the daemons' logs next to a failed test and stops them after the last. */
  @RegisterExtension
  static final DaemonProcesses daemons = new DaemonProcesses();

  @BeforeAll
  static void startDaemons() throws Exception {
    daemons.start(base, Options.of(3).withConfig("clusterHeartbeatTimeoutSeconds", HEARTBEAT_TIMEOUT_SECONDS));
    Trees.mixed(daemons.node0().path(SOURCE), 11, 1 << 20);
    daemons.awaitReady();
  }

  @Test
  void aDaemonKilledAndRestartedIsATargetAgainByNameAndListedOnce() throws Exception {
    Daemon old = daemons.daemon(RESTARTED);
    old.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    Daemon again = daemons.start(RESTARTED, old.dataPort(), old.httpPort(), old.clusterPort());
    daemons.awaitHealthy(again);
    long deadline = System.nanoTime() + VALID_AGAIN_WITHIN.toNanos();

    Run sync = syncUntilOk("/data/after-kill", deadline);

    assertEquals(0, sync.code(), () -> "not a valid target " + VALID_AGAIN_WITHIN.toSeconds()
        + " s after its restart:\n" + sync + daemons.logs());
    assertSameTree(daemons.node0().path(SOURCE), again.path("/data/after-kill"));
    assertListedOnce(RESTARTED);
  }

  @Test
  void aSecondStartOfANodeTakesItsNameAndTheFirstWithdraws() throws Exception {
    Daemon first = daemons.daemon(RESTARTED);
    Daemon second = daemons.start(RESTARTED, FreePorts.next(), FreePorts.next(), FreePorts.next());
    daemons.awaitHealthy(second);

    assertTrue(first.process().waitFor(VALID_AGAIN_WITHIN.toSeconds(), TimeUnit.SECONDS),
        () -> "the first " + RESTARTED + " still runs beside the second" + daemons.logs());
    assertEquals(1, first.process().exitValue());
    assertTrue(Files.readString(first.log()).contains("proved its name by its certificate"), daemons::logs);
    Run sync = syncUntilOk("/data/after-second-start", System.nanoTime() + VALID_AGAIN_WITHIN.toNanos());
    assertEquals(0, sync.code(), () -> sync + daemons.logs());
    assertListedOnce(RESTARTED);
    JsonObject entry = daemons.nodes(daemons.node0()).stream().map(JsonObject.class::cast)
        .filter(node -> RESTARTED.equals(node.getString("name"))).findFirst().orElseThrow();
    assertEquals(second.dataPort(), entry.getInteger("dataPort"), entry.encode());
    assertFalse(second.process().waitFor(2, TimeUnit.SECONDS), () -> "the second " + RESTARTED + " stopped" + daemons.logs());
  }

  /** Syncs the source to the restarted node, again and again until it ends ok or the deadline passes. */
  private static Run syncUntilOk(String dst, long deadline) throws Exception {
    while (true) {
      Run run = daemons.client("sync", "--via", daemons.via(), "--src", SOURCE, "--dst", dst, "-t", RESTARTED);
      if (run.code() == 0 || System.nanoTime() > deadline) {
        return run;
      }
      Thread.sleep(250);
    }
  }

  /** `gosync nodes` has one line for this node. */
  private static void assertListedOnce(String name) throws Exception {
    Run run = daemons.client("nodes", "--via", daemons.via());
    assertEquals(0, run.code(), run.toString());
    long lines = run.out().lines().skip(1).filter(line -> line.trim().split("\\s+")[0].equals(name)).count();
    assertEquals(1, lines, () -> run + daemons.logs());
  }
}
