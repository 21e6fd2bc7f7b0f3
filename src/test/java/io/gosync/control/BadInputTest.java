package io.gosync.control;

import io.gosync.scan.TreeSnapshot;
import io.gosync.testkit.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static io.gosync.testkit.Trees.assertNoTemporaryFiles;
import static io.gosync.testkit.Trees.assertSameTree;
import static io.gosync.testkit.Trees.file;
import static io.gosync.testkit.Trees.link;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input that only a target can judge, through real tasks on the shared cluster: the target
 * concerned fails with a clear message and changes nothing, the other targets are not disturbed.
 */
class BadInputTest {

  private final TestCluster cluster = TestCluster.shared();
  private final String base = "/data/badinput-" + UUID.randomUUID();
  private final String outsideName = "outside-" + UUID.randomUUID();

  @Test
  void aDestinationOutsideTheAllowedDirectoriesFailsAndCreatesNothing() throws IOException {
    Path src = source();
    TreeSnapshot srcBefore = TreeSnapshot.of(src);
    String dst = "/opt-" + UUID.randomUUID() + "/dst";
    TreeSnapshot node1 = TreeSnapshot.of(cluster.root("node1"));
    TreeSnapshot node2 = TreeSnapshot.of(cluster.root("node2"));

    JsonObject task = sync(base + "/src", dst, List.of("node1", "node2"), new JsonObject());

    assertFalse(task.getBoolean("ok"), task.encodePrettily());
    for (String target : List.of("node1", "node2")) {
      assertFailed(task, target, "dst: " + dst, "outside the allowed directories");
      assertFalse(Files.exists(cluster.path(target, dst).getParent()));
    }
    assertUnchanged(node1, cluster.root("node1"));
    assertUnchanged(node2, cluster.root("node2"));
    assertUnchanged(srcBefore, src);
  }

  /** Issue 9: no --allow means no task, and the refusal names the flag; the other target is served. */
  @Test
  void aNodeStartedWithoutAllowedDirectoriesRefusesTheTaskAndNamesTheFlag() throws IOException {
    Path src = source();
    String bare = "bare-" + UUID.randomUUID().toString().substring(0, 8);
    cluster.addNode(bare, new JsonObject().put("allow", new JsonArray()));
    try {
      TreeSnapshot before = TreeSnapshot.of(cluster.root(bare));

      JsonObject task = sync(base + "/src", base + "/dst", List.of(bare, "node1"), new JsonObject());

      assertFailed(task, bare, "dst: " + base + "/dst", "allows no directories", "--allow DIR");
      assertUnchanged(before, cluster.root(bare));
      assertOk(task, "node1");
      assertSameTree(src, cluster.path("node1", base + "/dst"));
    } finally {
      cluster.stop(bare);
    }
  }

  @Test
  void aDestinationThatLeadsOutThroughASymlinkFailsOnlyThatTarget() throws IOException {
    Path src = source();
    // node2: a parent of the destination is a link out; node3: the destination itself is one
    Path outside2 = outside("node2");
    Files.createDirectories(cluster.path("node2", base).getParent());
    Files.createSymbolicLink(cluster.path("node2", base), outside2);
    Path outside3 = outside("node3");
    link(cluster.path("node3", base), "dst", outside3.toString());
    TreeSnapshot node2 = TreeSnapshot.of(cluster.root("node2"));
    TreeSnapshot node3 = TreeSnapshot.of(cluster.root("node3"));

    JsonObject task = sync(base + "/src", base + "/dst", List.of("node1", "node2", "node3"), new JsonObject());

    assertOk(task, "node1");
    assertSameTree(src, cluster.path("node1", base + "/dst"));
    assertFailed(task, "node2", "dst: " + base + "/dst", "symlink");
    assertFailed(task, "node3", "dst: " + base + "/dst", "symlink");
    assertUnchanged(node2, cluster.root("node2"));
    assertUnchanged(node3, cluster.root("node3"));
  }

  @Test
  void anUnknownTargetFailsAloneWithAClearMessage() throws IOException {
    Path src = source();

    JsonObject task = sync(base + "/src", base + "/dst", List.of("no-such-node", "node1", "127.0.0.1:1"),
        new JsonObject());

    assertFalse(task.getBoolean("ok"), task.encodePrettily());
    assertFailed(task, "no-such-node", "unknown target", "'no-such-node'");
    assertFailed(task, "127.0.0.1:1", "unknown target", "'127.0.0.1:1'");
    assertOk(task, "node1");
    assertSameTree(src, cluster.path("node1", base + "/dst"));
  }

  @ParameterizedTest(name = "delete={0}")
  @ValueSource(booleans = {false, true})
  void aSymlinkWhereTheSourceHasADirectoryIsReplacedNotFollowed(boolean delete) throws IOException {
    Path src = source();
    Path outside = outside("node1");
    Path dst = cluster.path("node1", base + "/dst");
    link(dst, "d1", outside.toString());
    TreeSnapshot outsideBefore = TreeSnapshot.of(outside);

    JsonObject task = sync(base + "/src", base + "/dst", List.of("node1"), new JsonObject().put("delete", delete));

    assertOk(task, "node1");
    assertFalse(Files.isSymbolicLink(dst.resolve("d1")));
    assertSameTree(src, dst);
    assertNoTemporaryFiles(dst);
    assertUnchanged(outsideBefore, outside);
  }

  @Test
  void withNoOverwriteASymlinkWhereTheSourceHasADirectoryStaysAndNothingGoesThroughIt() throws IOException {
    source();
    Path outside = outside("node1");
    Path dst = cluster.path("node1", base + "/dst");
    link(dst, "d1", outside.toString());
    TreeSnapshot outsideBefore = TreeSnapshot.of(outside);

    JsonObject task = sync(base + "/src", base + "/dst", List.of("node1"), new JsonObject().put("overwrite", false));

    JsonObject result = assertOk(task, "node1");
    assertTrue(result.getJsonArray("conflictPaths", new JsonArray()).contains("d1"), result.encode());
    assertEquals(outside, Files.readSymbolicLink(dst.resolve("d1")));
    assertEquals("top\n", Files.readString(dst.resolve("top.txt")));
    assertNoTemporaryFiles(dst);
    assertUnchanged(outsideBefore, outside);
  }

  @Test
  void aSymlinkWhereTheSourceHasAFileIsReplacedNotWrittenThrough() throws IOException {
    Path src = source();
    Path outside = outside("node1");
    Path dst = cluster.path("node1", base + "/dst");
    link(dst, "top.txt", outside.resolve("f1.txt").toString());
    link(dst, "d1/f1.txt", outside.resolve("sentinel.txt").toString());
    TreeSnapshot outsideBefore = TreeSnapshot.of(outside);

    JsonObject task = sync(base + "/src", base + "/dst", List.of("node1"), new JsonObject());

    assertOk(task, "node1");
    assertSameTree(src, dst);
    assertNoTemporaryFiles(dst);
    assertUnchanged(outsideBefore, outside);
  }

  @Test
  void withNoOverwriteASymlinkWhereTheSourceHasAFileStays() throws IOException {
    source();
    Path outside = outside("node1");
    Path dst = cluster.path("node1", base + "/dst");
    link(dst, "top.txt", outside.resolve("f1.txt").toString());
    TreeSnapshot outsideBefore = TreeSnapshot.of(outside);

    JsonObject task = sync(base + "/src", base + "/dst", List.of("node1"), new JsonObject().put("overwrite", false));

    JsonObject result = assertOk(task, "node1");
    assertTrue(result.getJsonArray("conflictPaths", new JsonArray()).contains("top.txt"), result.encode());
    assertTrue(Files.isSymbolicLink(dst.resolve("top.txt")));
    assertEquals("d1 f1\n", Files.readString(dst.resolve("d1/f1.txt")));
    assertUnchanged(outsideBefore, outside);
  }

  @Test
  void aDestinationThatIsAFileWhereTheSourceIsADirectoryFails() throws IOException {
    source();
    Path dst = file(cluster.path("node1", base), "dst", "a file, not a directory\n");
    TreeSnapshot before = TreeSnapshot.of(dst.getParent());

    JsonObject task = sync(base + "/src", base + "/dst", List.of("node1"), new JsonObject());

    assertFailed(task, "node1", "dst:", "not a directory");
    assertUnchanged(before, dst.getParent());
  }

  @Test
  void aSingleFileSourceOntoADirectoryFails() throws IOException {
    source();
    Path dst = file(cluster.path("node1", base), "dst/keep.txt", "keep\n").getParent();
    TreeSnapshot before = TreeSnapshot.of(dst.getParent());

    JsonObject task = sync(base + "/src/top.txt", base + "/dst", List.of("node1"), new JsonObject());

    assertFailed(task, "node1", "dst:", "is a directory");
    assertUnchanged(before, dst.getParent());
  }

  // ---- helpers ----

  /** The source tree on node0. */
  private Path source() throws IOException {
    Path src = cluster.path("node0", base + "/src");
    file(src, "top.txt", "top\n");
    file(src, "d1/f1.txt", "d1 f1\n");
    file(src, "d1/sub/f2.txt", "d1 sub f2\n");
    link(src, "d1/f1s", "f1.txt");
    return src;
  }

  /** A directory outside the allowed ones on a node, with files a followed link would overwrite. */
  private Path outside(String node) throws IOException {
    Path outside = cluster.root(node).resolve(outsideName);
    file(outside, "sentinel.txt", "must stay\n");
    file(outside, "f1.txt", "not the source's f1\n");
    file(outside, "sub/f2.txt", "not the source's f2\n");
    return outside;
  }

  private JsonObject sync(String src, String dst, List<String> targets, JsonObject options) {
    return cluster.sync("node0", options.copy().put("src", src).put("dst", dst).put("targets", new JsonArray(targets)));
  }

  private static JsonObject assertOk(JsonObject task, String target) {
    JsonObject result = TestCluster.result(task, target);
    assertEquals("ok", result.getString("status"), result.encode());
    return result;
  }

  private static void assertFailed(JsonObject task, String target, String... words) {
    JsonObject result = TestCluster.result(task, target);
    assertEquals("failed", result.getString("status"), result.encode());
    String message = String.valueOf(result.getString("message"));
    for (String word : words) {
      assertTrue(message.contains(word), "'" + word + "' not in: " + message);
    }
  }

  private static void assertUnchanged(TreeSnapshot before, Path root) throws IOException {
    assertEquals(List.of(), before.differences(TreeSnapshot.of(root)), root + " changed");
  }
}
