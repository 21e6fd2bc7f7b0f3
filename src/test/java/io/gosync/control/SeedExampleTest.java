package io.gosync.control;

import io.gosync.testkit.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static io.gosync.testkit.Trees.assertNoTemporaryFiles;
import static io.gosync.testkit.Trees.assertSameTree;
import static io.gosync.testkit.Trees.dir;
import static io.gosync.testkit.Trees.file;
import static io.gosync.testkit.Trees.link;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The example on the seed tool's page, reproduced exactly: testsrc to three targets with -d=true. */
class SeedExampleTest {

  private static final List<String> TARGETS = List.of("node1", "node2", "node3");

  /** `tree testdst` after the sync, as the seed page prints it (which is `tree testsrc`). */
  private static final Set<String> AFTER = Set.of(
      "d1", "d1/f1s -> f1.txt", "d1/f1.txt", "d1/f2.txt", "d1/f3s -> f3.txt", "d1/f3.txt",
      "d2", "f3s -> f3.txt", "f3.txt", "f4.txt", "f5s -> f5.txt", "f5.txt");

  private final TestCluster cluster = TestCluster.shared();

  @Test
  void seedExampleWithDelete() throws IOException {
    Path src = cluster.path("node0", "/data/seed/testsrc");
    writeSeedSource(src);
    for (String target : TARGETS) {
      writeSeedDestination(cluster.path(target, "/data/seed/testdst"));
    }

    JsonObject task = cluster.sync("node0", new JsonObject()
        .put("src", "/data/seed/testsrc").put("dst", "/data/seed/testdst")
        .put("targets", new JsonArray(TARGETS)).put("delete", true));

    for (String target : TARGETS) {
      Path dst = cluster.path(target, "/data/seed/testdst");
      JsonObject result = TestCluster.result(task, target);
      assertEquals("ok", result.getString("status"), result.encode());
      // d1/f4s, d1/f4.txt, d3, f6s, f6.txt
      assertEquals(5, result.getLong("deleted"), result.encode());
      assertEquals(AFTER, listing(dst));
      assertSameTree(src, dst);
      assertNoTemporaryFiles(dst);
    }
  }

  static void writeSeedSource(Path root) throws IOException {
    file(root, "d1/f1.txt", "f1\n");
    file(root, "d1/f2.txt", "f2\n");
    file(root, "d1/f3.txt", "d1 f3\n");
    link(root, "d1/f1s", "f1.txt");
    link(root, "d1/f3s", "f3.txt");
    dir(root, "d2");
    file(root, "f3.txt", "f3\n");
    link(root, "f3s", "f3.txt");
    file(root, "f4.txt", "f4 from the source\n");
    file(root, "f5.txt", "f5\n");
    link(root, "f5s", "f5.txt");
  }

  static void writeSeedDestination(Path root) throws IOException {
    file(root, "d1/f1.txt", "f1\n");
    file(root, "d1/f2.txt", "f2\n");
    link(root, "d1/f1s", "f1.txt");
    file(root, "d1/f4.txt", "d1 f4\n");
    link(root, "d1/f4s", "f4.txt");
    dir(root, "d3");
    file(root, "f3.txt", "f3\n");
    link(root, "f3s", "f3.txt");
    file(root, "f4.txt", "f4, an older version\n");
    file(root, "f6.txt", "f6\n");
    link(root, "f6s", "f6.txt");
  }

  /** Like `tree`: every entry below the root, links shown with their target. */
  static Set<String> listing(Path root) throws IOException {
    Set<String> out = new TreeSet<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path path : all.filter(p -> !p.equals(root)).toList()) {
        String name = root.relativize(path).toString();
        out.add(Files.isSymbolicLink(path) ? name + " -> " + Files.readSymbolicLink(path) : name);
      }
    }
    return out;
  }
}
