package io.gosync.scan;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ForkJoinPool;

import static io.gosync.testkit.Trees.file;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A scan on several threads gives the one manifest a single thread gives, entry for entry, every time. */
class SourceScannerTest {

  private static final ForkJoinPool FOUR = new ForkJoinPool(4);
  private static final ForkJoinPool ONE = new ForkJoinPool(1);

  @TempDir
  static Path base;
  private static Path src;

  @BeforeAll
  static void wideAndDeepTree() throws IOException {
    src = base.resolve("src");
    for (int d = 0; d < 40; d++) {
      for (int f = 0; f < 15; f++) {
        file(src, "d" + d + "/sub" + f % 3 + "/f" + f, "file " + d + "/" + f);
      }
      Files.createSymbolicLink(Files.createDirectories(src.resolve("d" + d)).resolve("link"), Path.of("sub0"));
    }
    Path deep = src;
    for (int level = 0; level < 60; level++) {
      deep = deep.resolve("level" + level);
    }
    file(deep, "bottom", "at the bottom");
  }

  @AfterAll
  static void pools() {
    FOUR.shutdown();
    ONE.shutdown();
  }

  @Test
  void fourThreadsGiveTheManifestOfOneEveryTime() throws IOException {
    byte[] single = ManifestCodec.encode(scan(ONE).manifest());

    for (int run = 0; run < 5; run++) {
      assertArrayEquals(single, ManifestCodec.encode(scan(FOUR).manifest()), "run " + run + " differs");
    }
  }

  @Test
  void everyEntryIsThereParentsFirstInPathOrder() throws IOException {
    Manifest manifest = scan(FOUR).manifest();

    // root, 40 × (d, 3 subs, 15 files, a link), 60 levels and the bottom file
    assertEquals(1 + 40 * (1 + 3 + 15 + 1) + 60 + 1, manifest.size());
    assertEquals(40 * 15 + 1, manifest.fileCount());
    List<String> paths = manifest.entries().stream().map(Entry::path).toList();
    String[] sorted = paths.toArray(String[]::new);
    Arrays.sort(sorted, Comparator.naturalOrder());
    assertEquals(Arrays.asList(sorted), paths);
  }

  private static SourceScanner.Result scan(ForkJoinPool pool) throws IOException {
    return new SourceScanner(new HashCache(10_000), new TreeWalk(pool)).scan(src.toRealPath(), "/src");
  }
}
