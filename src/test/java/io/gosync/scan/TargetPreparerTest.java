package io.gosync.scan;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.ForkJoinPool;

import static io.gosync.testkit.Trees.file;
import static io.gosync.testkit.Trees.mtime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A destination directory that is a symlink on the target must never lead a task outside the destination. */
class TargetPreparerTest {

  private static final TempNames TEMPS = new TempNames(new byte[32]);
  private static final TreeWalk WALK = new TreeWalk(ForkJoinPool.commonPool());

  @TempDir
  Path base;
  private Path src;
  private Path dst;
  private Path outside;
  private Manifest manifest;

  @BeforeEach
  void trees() throws IOException {
    src = base.resolve("src");
    dst = base.resolve("dst");
    outside = base.resolve("outside");
    file(src, "a/b/x", "x");
    file(src, "a/y", "y");
    file(outside, "b/keep", "keep");
    Files.createDirectories(dst);
    Files.createSymbolicLink(dst.resolve("a"), outside);
    manifest = new SourceScanner(new HashCache(100), WALK).scan(src, "src").manifest();
  }

  @Test
  void underNoOverwriteTheLinkedDirectoryIsAConflictAndNothingBelowItIsTouched() throws IOException {
    PrepareOutcome outcome = new TargetPreparer(new HashCache(100), WALK, TEMPS, true, dst, manifest, false, false).prepare();

    assertEquals(List.of("a"), outcome.conflicts());
    assertEquals(0, outcome.needFiles());
    assertTrue(Files.isSymbolicLink(dst.resolve("a")));
    assertOutsideUntouched();
  }

  @Test
  void withOverwriteTheLinkIsReplacedByARealDirectoryAndTheFilesGoThere() throws IOException {
    PrepareOutcome outcome = new TargetPreparer(new HashCache(100), WALK, TEMPS, true, dst, manifest, true, true).prepare();

    assertFalse(Files.isSymbolicLink(dst.resolve("a")));
    assertTrue(Files.isDirectory(dst.resolve("a/b")));
    assertEquals(2, outcome.needFiles());
    assertOutsideUntouched();
  }

  @Test
  void aSecondPassOverAnUnchangedTreeNeedsNothing() throws IOException {
    Files.delete(dst.resolve("a"));
    Files.delete(dst);
    try (var paths = Files.walk(src)) {
      paths.forEach(path -> copy(path, dst.resolve(src.relativize(path).toString())));
    }

    PrepareOutcome outcome = new TargetPreparer(new HashCache(100), WALK, TEMPS, true, dst, manifest, true, true).prepare();

    assertEquals(0, outcome.needFiles());
    assertEquals(0, outcome.deleted());
  }

  @Test
  void onFourThreadsConflictsAreListedInManifestOrderAndExtrasAllCounted() throws IOException {
    Path wide = base.resolve("wide");
    Path there = base.resolve("there");
    for (int d = 0; d < 30; d++) {
      file(wide, "d" + d + "/same", "same");
      file(wide, "d" + d + "/differs", "source " + d);
      mtime(file(there, "d" + d + "/differs", "target " + d), 1_000_000_000L);
      file(there, "d" + d + "/extra/inside", "extra");
    }
    Manifest wideManifest = new SourceScanner(new HashCache(100), WALK).scan(wide.toRealPath(), "/wide").manifest();
    List<String> expected = wideManifest.entries().stream().map(Entry::path)
        .filter(path -> path.endsWith("/differs")).limit(20).toList();
    ForkJoinPool four = new ForkJoinPool(4);
    try {
      PrepareOutcome outcome = new TargetPreparer(new HashCache(100), new TreeWalk(four), TEMPS, false,
          there.toRealPath(), wideManifest, true, false).prepare();

      assertEquals(30, outcome.conflictCount(), outcome.toString());
      assertEquals(expected, outcome.conflicts());
      assertEquals(30 * 2, outcome.deleted(), "each extra directory and the file in it");
      assertEquals(30, outcome.needFiles(), "each missing 'same'");
      assertFalse(Files.exists(there.resolve("d7/extra")));
    } finally {
      four.shutdown();
    }
  }

  private void assertOutsideUntouched() throws IOException {
    try (var paths = Files.walk(outside)) {
      assertEquals(List.of(outside, outside.resolve("b"), outside.resolve("b/keep")), paths.sorted().toList());
    }
  }

  private static void copy(Path from, Path to) {
    try {
      Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
