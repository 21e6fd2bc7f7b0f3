package io.gosync.lab;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.gosync.testkit.Trees.isTemporary;
import static io.gosync.testkit.Trees.assertNoTemporaryFiles;
import static io.gosync.testkit.Trees.assertSameTree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * gosync on separate hosts: five network namespaces on one switch (h0 the source, h1–h4
 * targets), 100 Mbit/s links, one daemon JVM each, driven through the CLI as an operator would.
 * The relay-kill tests run last: the first kills h2, then starts it again; the second kills h2 and h3.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabIT {

  private static final int HOSTS = 5;
  private static final int RATE_MBIT = 100;
  private static final String SRC = "/data/src";
  private static final String FULL_DISK = "/data/small-disk";
  private static final Duration SYNC_WITHIN = Duration.ofMinutes(4);
  /** 48 MiB in one file (about 4 s a hop at 100 Mbit/s, long enough to kill a relay mid-stream) and 300 small files. */
  private static final DataSet DATA = new DataSet(48L << 20, 300, 1 << 10, 64 << 10, 10, 3, 7);
  /**
   * A straggler period short enough that the first sync (about 5 s) shows the source its chain's full rate, with
   * reports every 500 ms: a node is moved only when slow against what its group did before.
   */
  private static final Map<String, String> STRAGGLER_PERIOD = Map.of("GOSYNC_STRAGGLER_AFTER_MS", "2000");

  private static Lab lab;

  @RegisterExtension
  static final TestWatcher LOGS_ON_FAILURE = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      try {
        System.out.println("daemon logs after " + context.getDisplayName() + ":\n" + lab.logTails(40));
      } catch (IOException | RuntimeException e) {
        System.out.println("no daemon logs: " + e);
      }
    }
  };

  @BeforeAll
  static void startLab() throws Exception {
    assertTrue(Files.isRegularFile(Lab.JAR), Lab.JAR + " is missing: run `mvn package` first");
    lab = Lab.create(HOSTS, RATE_MBIT);
    DATA.write(lab.path(0, SRC));
    lab.mountSmallDisk(3, FULL_DISK, 8L << 20);
    lab.startDaemons(STRAGGLER_PERIOD);
  }

  @AfterAll
  static void stopLab() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  @Order(1)
  void fanOutOneIsAChainThroughEveryTarget() throws Exception {
    JsonObject report = syncOk("/data/chain", "1", "h1,h2,h3,h4");
    assertEquals(Map.of("h1", "h0", "h2", "h1", "h3", "h2", "h4", "h3"), vias(report));
    assertEveryTargetSame("/data/chain", 1, 2, 3, 4);
  }

  @Test
  @Order(2)
  void fanOutTwoIsATreeOfHeightTwo() throws Exception {
    JsonObject report = syncOk("/data/tree", "2", "h1,h2,h3,h4");
    Map<String, String> vias = vias(report);
    assertEquals(Map.of("h1", "h0", "h2", "h0", "h3", "h1", "h4", "h1"), vias, "the planned tree, breadth first");
    assertEveryTargetSame("/data/tree", 1, 2, 3, 4);
  }

  @Test
  @Order(3)
  void aTargetWithAFullDiskFailsAloneAndStillRelays() throws Exception {
    Lab.Run run = lab.gosync(0, SYNC_WITHIN, "sync", "--src", SRC, "--dst", FULL_DISK, "-t", "h1,h2,h3,h4", "-n", "1", "--json");
    assertEquals(1, run.code(), run.toString());
    JsonObject h3 = target(run.json(), "h3");
    assertEquals("failed", h3.getString("status"), run.toString());
    assertTrue(h3.getString("message").contains("No space left on device"), "a clear reason: " + h3);
    assertNoTemporaryFiles(lab.path(3, FULL_DISK));
    for (String other : List.of("h1", "h2", "h4")) {
      assertEquals("ok", target(run.json(), other).getString("status"), run.toString());
    }
    assertEquals("h3", vias(run.json()).get("h4"), "h3 relayed to h4 although its own disk was full");
    assertEveryTargetSame(FULL_DISK, 1, 2, 4);
  }

  /**
   * h2's link at a quarter of the rate both ways: it holds the chain back, so it is moved out of it (h1 takes
   * h3 over) and fed apart by the source once the others are done; every target ends ok and whole. The source
   * saw the chain's full rate in the first test.
   */
  @Test
  @Order(4)
  void aTargetOnASlowLinkIsMovedOutOfTheChainAndFedApart() throws Exception {
    aSlowHostIsMovedOutAndFedApart(2, "/data/straggler");
  }

  /** The same for h1, fed by the source: the source's own tee tells that the edge into h1 is slow. */
  @Test
  @Order(5)
  void aSlowFirstTargetIsMovedOutByTheSource() throws Exception {
    aSlowHostIsMovedOutAndFedApart(1, "/data/straggler-first");
  }

  private static void aSlowHostIsMovedOutAndFedApart(int slow, String dst) throws Exception {
    lab.setRate(slow, RATE_MBIT / 4);
    JsonObject report;
    try {
      report = syncOk(dst, "1", "h1,h2,h3,h4");
    } finally {
      lab.setRate(slow, RATE_MBIT);
    }
    Map<String, String> vias = vias(report);
    String parent = lab.name(slow - 1);
    assertEquals(parent, vias.get(lab.name(slow + 1)), lab.name(slow + 1) + " was not taken over by " + parent + ": "
        + report.encodePrettily());
    assertEquals("h0", vias.get(lab.name(slow)), lab.name(slow) + " was not fed apart by the source: "
        + report.encodePrettily());
    assertEveryTargetSame(dst, 1, 2, 3, 4);
  }

  @Test
  @Order(6)
  void aRelayKilledMidChainCostsOnlyItselfTheNodeBelowIsTakenOverMidStream() throws Exception {
    String dst = "/data/killed";
    Lab.Run run = syncKilling(dst, 3, 2);
    assertEquals("failed", target(run.json(), "h2").getString("status"), run.toString());
    for (int host : new int[] {1, 3, 4}) {
      assertEquals("ok", target(run.json(), lab.name(host)).getString("status"), run.toString());
      assertNoTemporaryFiles(lab.path(host, dst));
      assertSameTree(lab.path(0, SRC), lab.path(host, dst));
    }
    assertEquals("h1", vias(run.json()).get("h3"), "h1 did not take h3 over: " + run);
    assertEquals("h3", vias(run.json()).get("h4"), run.toString());
    JsonObject rerun = syncOk(dst, "1", "h1,h3,h4");
    for (String host : List.of("h1", "h3", "h4")) {
      assertEquals("unchanged", target(rerun, host).getString("status"), rerun.encodePrettily());
    }
    aReRunAfterTheKillSendsTheKilledNodeOnlyWhatItLacks(dst);
  }

  /** h2 and h3 die at once: h1 finds h2 gone and h3 unreachable, and takes h4 over from where it stood. */
  @Test
  @Order(7)
  void twoAdjacentRelaysKilledCostOnlyThemselves() throws Exception {
    String dst = "/data/killed-two";
    Lab.Run run = syncKilling(dst, 4, 3, 2);
    for (String dead : List.of("h2", "h3")) {
      assertEquals("failed", target(run.json(), dead).getString("status"), run.toString());
    }
    for (int host : new int[] {1, 4}) {
      assertEquals("ok", target(run.json(), lab.name(host)).getString("status"), run.toString());
      assertNoTemporaryFiles(lab.path(host, dst));
      assertSameTree(lab.path(0, SRC), lab.path(host, dst));
    }
    assertEquals("h1", vias(run.json()).get("h4"), "h1 did not take h4 over: " + run);
  }

  /** The killed relay, started again, is sent only what it lacks: its big file goes on from what it kept. */
  private static void aReRunAfterTheKillSendsTheKilledNodeOnlyWhatItLacks(String dst) throws Exception {
    long kept;
    try (Stream<Path> files = Files.walk(lab.path(2, dst))) {
      kept = files.filter(file -> file.getFileName().toString().startsWith(".gosync-p-")).mapToLong(LabIT::sizeOf).sum();
    }
    assertTrue(kept > 1 << 20, "h2 kept " + kept + " bytes of the big file");
    lab.restartDaemon(2);

    long total = DataSet.fileBytes(lab.path(0, SRC));
    JsonObject report = syncOk(dst, "1", "h1,h2,h3,h4");

    JsonObject h2 = target(report, "h2");
    assertEquals("ok", h2.getString("status"), report.encodePrettily());
    assertTrue(h2.getLong("bytes") <= total - kept, "h2 was sent " + h2.getLong("bytes") + " bytes, though it "
        + "kept " + kept + " of " + total + ": " + report.encodePrettily());
    assertNoTemporaryFiles(lab.path(2, dst));
    assertSameTree(lab.path(0, SRC), lab.path(2, dst));
  }

  private static JsonObject syncOk(String dst, String fanout, String targets) throws Exception {
    Lab.Run run = lab.gosync(0, SYNC_WITHIN, "sync", "--src", SRC, "--dst", dst, "-t", targets, "-n", fanout, "-d", "--json");
    assertEquals(0, run.code(), run.toString());
    return run.json();
  }

  /**
   * Syncs the chain h1 … h4 into {@code dst} and kills the {@code victims}' daemons (SIGKILL) once {@code watched}
   * is receiving the big file; the sync must end within its time, and fail for the victims.
   */
  private static Lab.Run syncKilling(String dst, int watched, int... victims) throws Exception {
    Lab.Run[] running = new Lab.Run[1];
    Thread sync = new Thread(() -> running[0] = syncQuietly(dst, "h1,h2,h3,h4"));
    sync.start();
    awaitBytesArriving(lab.path(watched, dst));
    for (int victim : victims) {
      lab.kill(victim);
    }
    sync.join(SYNC_WITHIN.toMillis());
    Lab.Run run = running[0];
    assertTrue(run != null, "the sync did not end within " + SYNC_WITHIN);
    assertEquals(1, run.code(), run.toString());
    return run;
  }

  private static Lab.Run syncQuietly(String dst, String targets) {
    try {
      return lab.gosync(0, SYNC_WITHIN, "sync", "--src", SRC, "--dst", dst, "-t", targets, "-n", "1", "--json");
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits until the third hop of the chain is receiving the big file, so the relay above it dies mid-stream. */
  private static void awaitBytesArriving(Path dir) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + SYNC_WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> files = Files.walk(dir)) {
          if (files.anyMatch(file -> isTemporary(file) && sizeOf(file) > (1 << 20))) {
            return;
          }
        }
      }
      Thread.sleep(20);
    }
    fail("no temporary file grew past 1 MiB in " + dir);
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException gone) {
      return 0; // landed or removed meanwhile
    }
  }

  private static void assertEveryTargetSame(String dst, int... hosts) throws IOException {
    for (int host : hosts) {
      assertSameTree(lab.path(0, SRC), lab.path(host, dst));
      assertNoTemporaryFiles(lab.path(host, dst));
    }
  }

  private static JsonObject target(JsonObject report, String name) {
    return report.getJsonArray("targets").stream().map(JsonObject.class::cast)
        .filter(target -> name.equals(target.getString("target"))).findFirst()
        .orElseThrow(() -> new AssertionError("no line for " + name + " in " + report.encodePrettily()));
  }

  private static Map<String, String> vias(JsonObject report) {
    Map<String, String> vias = new HashMap<>();
    report.getJsonArray("targets").stream().map(JsonObject.class::cast)
        .forEach(target -> vias.put(target.getString("target"), target.getString("via")));
    return vias;
  }
}
