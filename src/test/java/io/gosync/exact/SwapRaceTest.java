package io.gosync.exact;

import io.gosync.testkit.RawNames;
import io.gosync.testkit.Rsync;
import io.gosync.testkit.Swapper;
import io.gosync.testkit.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.gosync.testkit.Trees.dir;
import static io.gosync.testkit.Trees.file;
import static io.gosync.testkit.Trees.mtime;
import static io.gosync.testkit.Trees.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * rsync CVE-2024-12747's shape against a target: someone who can write inside dst exchanges a
 * directory there with a symlink to a directory outside dst, atomically and repeatedly, while a
 * task deletes or lands files in that directory. A swap may make an entry fail; it must never
 * make gosync delete, create or change anything outside dst.
 */
class SwapRaceTest {

  /**
   * Bounded by count and by time. With every check left out, 30 runs took 10 s (delete) and 6 s
   * (landing) on today's code on 2 cores; a slower rewrite (directory handles, fsync) stops at 30 s a case.
   */
  private static final int RUNS = 30;
  private static final long BUDGET_MILLIS = 30_000;
  /** Files per run in the swapped directory: each one is a fresh chance for a path checked earlier to lead outside. */
  private static final int FILES = 100;
  private static final long MTIME = 1_600_000_000L;

  private final TestCluster cluster = TestCluster.shared();

  @TempDir
  Path pristine;

  @BeforeAll
  static void oracle() {
    Rsync.require();
  }

  @Test
  void deletingInADirectorySwappedWithALinkNeverDeletesOutsideDst() throws IOException {
    Path src = cluster.path("node0", "/data/swap/delete-src");
    mtime(file(src, "d/keep.txt", "kept\n"), MTIME);
    attack("/data/swap/delete", true, dst -> {
      mtime(file(dst, "d/keep.txt", "kept\n"), MTIME);
      for (int i = 0; i < FILES; i++) {
        file(dst, "d/" + name(i), "extra on the target, to be deleted\n");
      }
    });
  }

  @Test
  void landingInADirectorySwappedWithALinkNeverWritesOutsideDstNorLeavesTemporaryFiles() throws IOException {
    Path src = cluster.path("node0", "/data/swap/land-src");
    for (int i = 0; i < FILES; i++) {
      file(src, "d/" + name(i), random(i, 4096));
    }
    // Two files over Frames.SMALL_FILE (1 MiB) take the streamed landing (a temporary file open while bytes
    // arrive), not the in-memory one.
    file(src, "d/large-1.bin", random(-1, 3 << 20));
    file(src, "d/large-2.bin", random(-2, 3 << 20));
    attack("/data/swap/land", false, dst -> dir(dst, "d"));
  }

  private interface Destination {
    void write(Path dst) throws IOException;
  }

  /**
   * Runs the task again and again, each time on a fresh race directory: {@code dst} (made by
   * {@code destination}, with its directory {@code d}), {@code outside} (canaries named like d's
   * files) and {@code link} (a symlink to outside), with d and link exchanged all along the task.
   */
  private void attack(String base, boolean delete, Destination destination) throws IOException {
    long start = System.currentTimeMillis();
    int run = 0;
    while (run < RUNS && System.currentTimeMillis() - start < BUDGET_MILLIS) {
      run++;
      String race = base + "/" + run;
      Path root = cluster.path("node1", race);
      destination.write(root.resolve("dst"));
      Set<String> known = new HashSet<>(names(cluster.path("node0", base + "-src/d")));
      known.addAll(names(root.resolve("dst/d")));
      Path outside = canaries(root.resolve("outside"));
      Path link = Files.createSymbolicLink(root.resolve("link"), outside);
      Path before = pristine.resolve(String.valueOf(run));
      Rsync.copy(outside, before);

      JsonObject task;
      long swaps;
      try (Swapper swapper = Swapper.start(root.resolve("dst/d"), link)) {
        task = cluster.sync("node0", new JsonObject().put("src", base + "-src").put("dst", race + "/dst")
            .put("targets", new JsonArray().add("node1")).put("delete", delete));
        swaps = swapper.swaps();
      }
      String context = "run " + run + " (" + swaps + " swaps, node1 " + TestCluster.result(task, "node1").encode() + ")";
      assertTrue(swaps > 0, context + ": the swapper never swapped, so the run proved nothing");
      assertNothingChanged(before, outside, context);
      assertOnlyKnownNames(root, known, context);
    }
  }

  private static Path canaries(Path outside) throws IOException {
    for (int i = 0; i < FILES; i++) {
      mtime(file(outside, name(i), "canary " + i + ": outside dst, never to be touched\n"), MTIME);
    }
    mtime(file(outside, "keep.txt", "canary: outside dst\n"), MTIME);
    mtime(outside, MTIME);
    return outside;
  }

  private static void assertNothingChanged(Path before, Path outside, String context) {
    try {
      Rsync.assertSameTree(before, outside);
    } catch (AssertionError e) {
      fail(context + ": the task changed the directory outside dst: " + e.getMessage(), e);
    }
  }

  /**
   * Whatever the swaps did, the race directory holds only dst, d, the link and the source's and
   * destination's own names in d (wherever d was swapped to): no temporary file (gosync's are
   * named .gosync-*) nor anything else, whatever the temporary files come to be called.
   */
  private static void assertOnlyKnownNames(Path root, Set<String> known, String context) {
    List<String> unknown = new ArrayList<>();
    for (String line : RawNames.listing(root)) {
      String name = line.substring(2).replaceFirst(" -> .*", "");
      String inD = name.replaceFirst("^(dst/d|link)/", "");
      boolean ours = Set.of("dst", "dst/d", "link").contains(name) || name.startsWith("outside");
      if (!ours && (inD.equals(name) || !known.contains(inD))) {
        unknown.add(line);
      }
    }
    assertEquals(List.of(), unknown, context + ": entries left behind that neither the source nor the destination had");
  }

  private static List<String> names(Path dir) {
    return RawNames.listing(dir).stream().map(line -> line.substring(2)).toList();
  }

  private static String name(int i) {
    return String.format("f%03d.bin", i);
  }
}
