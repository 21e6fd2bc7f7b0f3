package io.gosync.control;

import io.gosync.testkit.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static io.gosync.testkit.TestCluster.result;
import static io.gosync.testkit.Trees.assertNoTemporaryFiles;
import static io.gosync.testkit.Trees.assertSameTree;
import static io.gosync.testkit.Trees.dir;
import static io.gosync.testkit.Trees.file;
import static io.gosync.testkit.Trees.link;
import static io.gosync.testkit.Trees.mixed;
import static io.gosync.testkit.Trees.mtime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each task option, on real nodes, checked by whole-tree comparison. */
class OptionsTest {

  private final TestCluster cluster = TestCluster.shared();

  private JsonObject sync(String src, String dst, List<String> targets, JsonObject options) {
    return cluster.sync("node0", options.copy().put("src", src).put("dst", dst).put("targets", new JsonArray(targets)));
  }

  @Test
  void mixedTreeKeepsBytesModesMtimesLinksAndEmptyDirectories() throws IOException {
    Path src = mixed(cluster.path("node0", "/data/opt/mixed"), 1, 3 << 20);
    JsonObject task = sync("/data/opt/mixed", "/data/opt/mixed", List.of("node1", "node2"), new JsonObject());
    for (String target : List.of("node1", "node2")) {
      assertEquals("ok", result(task, target).getString("status"), task.encodePrettily());
      assertSameTree(src, cluster.path(target, "/data/opt/mixed"));
      assertNoTemporaryFiles(cluster.path(target, "/data/opt/mixed"));
    }
  }

  @Test
  void resyncWithNothingChangedIsUnchangedAndSendsNothing() throws IOException {
    Path src = mixed(cluster.path("node0", "/data/opt/again"), 2, 1 << 20);
    sync("/data/opt/again", "/data/opt/again", List.of("node1"), new JsonObject());
    JsonObject second = sync("/data/opt/again", "/data/opt/again", List.of("node1"), new JsonObject());
    JsonObject line = result(second, "node1");
    assertEquals("unchanged", line.getString("status"), line.encode());
    assertEquals(0, line.getLong("files"));
    assertEquals(0, line.getLong("bytes"));
    assertSameTree(src, cluster.path("node1", "/data/opt/again"));
  }

  @Test
  void metadataOnlyChangeIsFixedWithoutSendingData() throws IOException {
    Path src = cluster.path("node0", "/data/opt/touch");
    Path one = file(src, "one.txt", "same bytes\n");
    sync("/data/opt/touch", "/data/opt/touch", List.of("node1"), new JsonObject());
    mtime(one, 1_500_000_000L);
    Files.setPosixFilePermissions(one, PosixFilePermissions.fromString("rw-r-----"));
    JsonObject line = result(sync("/data/opt/touch", "/data/opt/touch", List.of("node1"), new JsonObject()), "node1");
    assertEquals("ok", line.getString("status"), line.encode());
    assertEquals(0, line.getLong("files"), "content was equal, so nothing is sent");
    assertTrue(line.getLong("fixed") >= 2, line.encode());
    assertSameTree(src, cluster.path("node1", "/data/opt/touch"));
  }

  @Test
  void withoutDeleteExtrasStayAndEverythingElseMatches() throws IOException {
    Path src = cluster.path("node0", "/data/opt/keep");
    file(src, "a.txt", "a\n");
    file(src, "sub/b.txt", "b\n");
    Path dst = cluster.path("node1", "/data/opt/keep");
    file(dst, "extra.txt", "only on the target\n");
    file(dst, "sub/extra/deep.txt", "deep\n");
    JsonObject line = result(sync("/data/opt/keep", "/data/opt/keep", List.of("node1"), new JsonObject()), "node1");
    assertEquals("ok", line.getString("status"));
    assertEquals(0, line.getLong("deleted"));
    assertTrue(Files.exists(dst.resolve("extra.txt")));
    assertTrue(Files.exists(dst.resolve("sub/extra/deep.txt")));
    assertEquals("a\n", Files.readString(dst.resolve("a.txt")));
    assertEquals("b\n", Files.readString(dst.resolve("sub/b.txt")));

    JsonObject deleted = result(sync("/data/opt/keep", "/data/opt/keep", List.of("node1"),
        new JsonObject().put("delete", true)), "node1");
    assertEquals(3, deleted.getLong("deleted"), deleted.encode());
    assertSameTree(src, dst);
  }

  @Test
  void noOverwriteLeavesDifferingEntriesAloneAndReportsThem() throws IOException {
    Path src = cluster.path("node0", "/data/opt/noover");
    file(src, "same.txt", "same\n");
    file(src, "differs.txt", "source version\n");
    file(src, "new.txt", "new\n");
    dir(src, "was-a-file");
    Path dst = cluster.path("node1", "/data/opt/noover");
    file(dst, "differs.txt", "target version, keep me\n");
    file(dst, "was-a-file", "a file where the source has a directory\n");
    JsonObject line = result(sync("/data/opt/noover", "/data/opt/noover", List.of("node1"),
        new JsonObject().put("overwrite", false)), "node1");
    assertEquals("ok", line.getString("status"), line.encode());
    assertEquals(2, line.getLong("conflicts"), line.encode());
    assertTrue(line.getString("message").contains("differs.txt"), line.encode());
    assertTrue(line.getString("message").contains("was-a-file"), line.encode());
    assertEquals("target version, keep me\n", Files.readString(dst.resolve("differs.txt")));
    assertTrue(Files.isRegularFile(dst.resolve("was-a-file")));
    assertEquals("new\n", Files.readString(dst.resolve("new.txt")));
    assertEquals("same\n", Files.readString(dst.resolve("same.txt")));

    JsonObject overwritten = result(sync("/data/opt/noover", "/data/opt/noover", List.of("node1"), new JsonObject()), "node1");
    assertEquals("ok", overwritten.getString("status"));
    assertSameTree(src, dst);
  }

  @Test
  void kindChangesAreReplacedUnderOverwrite() throws IOException {
    Path src = cluster.path("node0", "/data/opt/kinds");
    file(src, "x", "now a file\n");
    dir(src, "y");
    file(src, "y/inside.txt", "inside\n");
    link(src, "z", "x");
    Path dst = cluster.path("node1", "/data/opt/kinds");
    file(dst, "x/old.txt", "x was a directory\n");
    link(dst, "y", "../elsewhere");
    file(dst, "z", "z was a file\n");
    JsonObject line = result(sync("/data/opt/kinds", "/data/opt/kinds", List.of("node1"), new JsonObject()), "node1");
    assertEquals("ok", line.getString("status"), line.encode());
    assertSameTree(src, dst);
  }

  @Test
  void compressedStreamGivesIdenticalTrees() throws IOException {
    Path src = mixed(cluster.path("node0", "/data/opt/zstd"), 3, 5 << 20);
    file(src, "text/repetitive.txt", "gosync ".repeat(300_000));
    JsonObject task = sync("/data/opt/zstd", "/data/opt/zstd", List.of("node1", "node2", "node3"),
        new JsonObject().put("compress", true).put("fanout", 1));
    for (String target : List.of("node1", "node2", "node3")) {
      assertEquals("ok", result(task, target).getString("status"), task.encodePrettily());
      assertSameTree(src, cluster.path(target, "/data/opt/zstd"));
    }
  }

  @Test
  void singleFileSourceBecomesTheDestinationFile() throws IOException {
    Path src = file(cluster.path("node0", "/data/opt/single"), "app.conf", "key = value\n");
    mtime(src, 1_234_567_890L);
    JsonObject task = sync("/data/opt/single/app.conf", "/data/opt/single-dst/etc/app.conf",
        List.of("node1", "node2"), new JsonObject());
    for (String target : List.of("node1", "node2")) {
      assertEquals("ok", result(task, target).getString("status"), task.encodePrettily());
      Path dst = cluster.path(target, "/data/opt/single-dst/etc/app.conf");
      assertEquals(Files.readString(src), Files.readString(dst));
      assertEquals(Files.getLastModifiedTime(src), Files.getLastModifiedTime(dst));
      assertEquals(Files.getPosixFilePermissions(src), Files.getPosixFilePermissions(dst));
      assertNoTemporaryFiles(dst.getParent());
      try (var listing = Files.list(dst.getParent())) {
        assertEquals(1, listing.count(), "only the file itself");
      }
    }
    assertEquals("unchanged", result(sync("/data/opt/single/app.conf", "/data/opt/single-dst/etc/app.conf",
        List.of("node1"), new JsonObject()), "node1").getString("status"));
  }

  @Test
  void localSyncToAnotherPathOnTheSourceNode() throws IOException {
    Path src = mixed(cluster.path("node0", "/data/opt/local-src"), 4, 1 << 20);
    JsonObject line = result(sync("/data/opt/local-src", "/srv/local-copy", List.of("node0"), new JsonObject()), "node0");
    assertEquals("ok", line.getString("status"), line.encode());
    assertSameTree(src, cluster.path("node0", "/srv/local-copy"));
    assertFalse(Files.exists(cluster.path("node0", "/data/opt/local-src/srv")));
  }
}
