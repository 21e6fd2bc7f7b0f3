package io.gosync.exact;

import io.gosync.testkit.Commands;
import io.gosync.testkit.RawNames;
import io.gosync.testkit.Rsync;
import io.gosync.testkit.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static io.gosync.testkit.Commands.text;
import static io.gosync.testkit.TestCluster.result;
import static io.gosync.testkit.Trees.file;
import static io.gosync.testkit.Trees.link;
import static io.gosync.testkit.Trees.mixed;
import static io.gosync.testkit.Trees.mode;
import static io.gosync.testkit.Trees.mtime;
import static io.gosync.testkit.Trees.random;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trees that must come out as rsync makes them: each case builds a source and a destination,
 * asks rsync -a what the destination should become (Rsync.oracle, before gosync runs), syncs with
 * gosync from node0, and requires rsync -anic --delete to find nothing between the two, plus the
 * one fact the case is about (inode numbers, name and link-text bytes, exact mtime seconds).
 */
class ExactTreeTest {

  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private final TestCluster cluster = TestCluster.shared();

  @TempDir
  Path oracles;

  @BeforeAll
  static void oracle() {
    Rsync.require();
  }

  private JsonObject sync(String src, String dst, List<String> targets, boolean delete) {
    return cluster.sync("node0", new JsonObject().put("src", src).put("dst", dst)
        .put("targets", new JsonArray(targets)).put("delete", delete));
  }

  private static void assertOk(JsonObject task, String target) {
    JsonObject line = result(task, target);
    assertEquals("ok", line.getString("status"), target + ": " + line.encode());
  }

  /** The control: on a tree gosync has always handled, the oracle finds nothing, so a finding elsewhere is the case's. */
  @Test
  void mixedTreeWithDeleteIsWhatRsyncMakesOfIt() throws IOException {
    Path src = mixed(cluster.path("node0", "/data/exact/mixed"), 5, 1 << 20);
    Path dst = cluster.path("node1", "/data/exact/mixed");
    file(dst, "extra/only-on-the-target.txt", "to be deleted\n");
    link(dst, "a/link-to-f1", "elsewhere");
    Path oracle = Rsync.oracle(src, dst, oracles.resolve("mixed"), true);

    assertOk(sync("/data/exact/mixed", "/data/exact/mixed", List.of("node1"), true), "node1");
    Rsync.assertSameTree(oracle, dst);
  }

  @Test
  void fileRewrittenAtTheSameSizeWithItsMtimePutBackReachesEveryTargetWithItsNewBytes() throws IOException {
    Path src = cluster.path("node0", "/data/exact/stale");
    byte[] before = random(1, 64 << 10);
    Path rewritten = file(src, "f.bin", before);
    mtime(rewritten, 1_600_000_000L);
    // The source daemon hashes f.bin once here and keeps the hash.
    assertOk(sync("/data/exact/stale", "/data/exact/stale", List.of("node1"), false), "node1");

    byte[] after = random(2, 64 << 10);
    Files.write(rewritten, after); // same inode, same size
    mtime(rewritten, 1_600_000_000L); // only ctime tells
    // node2 has no copy, so it needs the file; node3's copy has the old bytes and differs in mtime alone.
    Path differsInMtime = file(cluster.path("node3", "/data/exact/stale"), "f.bin", before);
    mtime(differsInMtime, 1_600_000_060L);
    List<String> targets = List.of("node2", "node3");
    for (String target : targets) {
      Rsync.oracle(src, cluster.path(target, "/data/exact/stale"), oracles.resolve(target), false);
    }

    JsonObject task = sync("/data/exact/stale", "/data/exact/stale", targets, false);
    // Both targets judged, so that one failing does not hide how the other fares.
    assertAll(targets.stream().map(target -> () -> {
      assertOk(task, target);
      Path dst = cluster.path(target, "/data/exact/stale");
      assertArrayEquals(after, Files.readAllBytes(dst.resolve("f.bin")), target + " has the new bytes");
      Rsync.assertSameTree(oracles.resolve(target), dst);
    }));
  }

  @Test
  void fileWhoseNameIsNotUtf8IsCopiedByteExact() throws IOException {
    Path src = Files.createDirectories(cluster.path("node0", "/data/exact/latin1"));
    Commands.sh("cd \"$1\" && printf 'caf\\351 in Latin-1\\n' > \"$(printf 'caf\\351')\" && printf 'plain\\n' > plain.txt",
        src.toString());
    Path dst = cluster.path("node1", "/data/exact/latin1");
    Path oracle = Rsync.oracle(src, dst, oracles.resolve("latin1"), false);

    assertOk(sync("/data/exact/latin1", "/data/exact/latin1", List.of("node1"), false), "node1");
    assertEquals(List.of("f caf\\xe9", "f plain.txt"), RawNames.listing(dst));
    Rsync.assertSameTree(oracle, dst);
  }

  @Test
  void directoriesAndLinksWhoseNamesAndTextsAreNotUtf8AreCopiedByteExact() throws IOException {
    Path src = Files.createDirectories(cluster.path("node0", "/data/exact/bytes"));
    Commands.sh("cd \"$1\" && mkdir \"$(printf 'd\\377')\" \"$(printf 'd\\377/sub\\351')\""
        + " && ln -s \"$(printf 'caf\\351')\" \"$(printf 'l\\351')\""
        + " && ln -s \"$(printf '\\377\\376/x')\" \"$(printf 'd\\377/text')\"", src.toString());
    Path dst = cluster.path("node1", "/data/exact/bytes");
    Path oracle = Rsync.oracle(src, dst, oracles.resolve("bytes"), false);

    assertOk(sync("/data/exact/bytes", "/data/exact/bytes", List.of("node1"), false), "node1");
    assertEquals(List.of("d d\\xff", "d d\\xff/sub\\xe9", "l d\\xff/text -> \\xff\\xfe/x", "l l\\xe9 -> caf\\xe9"),
        RawNames.listing(dst));
    Rsync.assertSameTree(oracle, dst);
  }

  @Test
  void singleFileReplacesASymlinkAtItsDestinationAndLeavesTheLinkedFileAlone() throws IOException {
    Path src = file(cluster.path("node0", "/data/exact/one"), "app.conf", "from the source\n");
    mtime(src, 1_234_567_890L);
    Path dstRoot = cluster.path("node1", "/data/exact/one-dst");
    Path linked = file(dstRoot, "real/app.conf", "precious: never to be written through a link\n");
    mtime(linked, 1_000_000_000L);
    Path dst = link(dstRoot, "etc/app.conf", "../real/app.conf");
    Path oracle = Rsync.copy(dstRoot, oracles.resolve("one"));
    Rsync.oracleFile(src, oracle.resolve("etc/app.conf"));

    assertOk(sync("/data/exact/one/app.conf", "/data/exact/one-dst/etc/app.conf", List.of("node1"), false), "node1");
    assertFalse(Files.isSymbolicLink(dst), "the link was replaced");
    assertEquals("from the source\n", Files.readString(dst));
    assertEquals("precious: never to be written through a link\n", Files.readString(linked));
    assertEquals(FileTime.fromMillis(1_000_000_000_000L), Files.getLastModifiedTime(linked));
    Rsync.assertSameEntry(oracle.resolve("etc/app.conf"), dst);
    Rsync.assertSameEntry(oracle.resolve("real/app.conf"), linked);
  }

  @Test
  void mtimesAfter2262AreKeptToTheNanosecond() throws IOException {
    Path src = cluster.path("node0", "/data/exact/future");
    file(src, "later/f.txt", "from the future\n");
    // 2400: past 2262 (the end of nanoseconds in a long), before 2446 (the end of ext4's timestamps, measured:
    // touch -d 2500-01-01 on ext4 gives 2446-05-10).
    Commands.sh("cd \"$1\" && touch -d '2400-01-01 00:00:00.123456789 UTC' later/f.txt later .", src.toString());
    Path dst = cluster.path("node1", "/data/exact/future");
    Path oracle = Rsync.oracle(src, dst, oracles.resolve("future"), false);

    assertOk(sync("/data/exact/future", "/data/exact/future", List.of("node1"), false), "node1");
    String exact = text(Commands.sh("cd \"$1\" && stat -c '%n %.9Y' later/f.txt later .", dst.toString()));
    assertEquals("later/f.txt 13569465600.123456789\nlater 13569465600.123456789\n. 13569465600.123456789\n", exact);
    Rsync.assertSameTree(oracle, dst);
  }

  @Test
  void hardLinkedTargetFileThatNeedsNewMetadataGetsANewInodeAndItsOtherNameKeepsTheOld() throws IOException {
    Path src = cluster.path("node0", "/data/exact/hard");
    Path source = file(src, "x.txt", "shared bytes\n");
    mode(source, "rw-r-----");
    mtime(source, 1_500_000_000L);
    Path dst = cluster.path("node1", "/data/exact/hard");
    Path synced = file(dst, "x.txt", "shared bytes\n");
    mode(synced, "rw-rw-r--");
    mtime(synced, 1_400_000_000L);
    Path other = Files.createLink(dst.resolve("y.txt"), synced);
    Object inode = Files.getAttribute(other, "unix:ino", NOFOLLOW);
    Path oracle = Rsync.oracle(src, dst, oracles.resolve("hard"), false);

    assertOk(sync("/data/exact/hard", "/data/exact/hard", List.of("node1"), false), "node1");
    assertNotEquals(inode, Files.getAttribute(synced, "unix:ino", NOFOLLOW), "x.txt is a new inode");
    assertEquals(inode, Files.getAttribute(other, "unix:ino", NOFOLLOW), "y.txt keeps its inode");
    assertEquals(1, Files.getAttribute(other, "unix:nlink", NOFOLLOW), "y.txt has no other name now");
    assertEquals(PosixFilePermissions.fromString("rw-rw-r--"), Files.getPosixFilePermissions(other, NOFOLLOW));
    assertEquals(FileTime.fromMillis(1_400_000_000_000L), Files.getLastModifiedTime(other, NOFOLLOW));
    assertEquals(PosixFilePermissions.fromString("rw-r-----"), Files.getPosixFilePermissions(synced, NOFOLLOW));
    assertEquals(FileTime.fromMillis(1_500_000_000_000L), Files.getLastModifiedTime(synced, NOFOLLOW));
    Rsync.assertSameTree(oracle, dst);
  }

  @Test
  void pathLongerThanPathMaxIsCopied() {
    Path src = cluster.path("node0", "/data/exact/long");
    Path dst = cluster.path("node1", "/data/exact/long");
    String bottom = "the-file-at-the-bottom-of-a-tree-deeper-than-path-max.txt";
    Path oracle = oracles.resolve("long");
    // 20 directories of 200-byte names and a file: 4,077 bytes below the tree (rsync's own limit is
    // 4,095 there), more than PATH_MAX (4,096) with the absolute path in front. mkdir steps by cd, as
    // no single path of the tree may be that long.
    String deep = "i=0; while [ $i -lt 20 ]; do n=$(printf 'd%02d%0197d' $i 0); mkdir \"$n\" && cd \"$n\"; i=$((i+1)); done";
    try {
      Commands.sh("mkdir -p \"$1\" && cd \"$1\" && " + deep + " && printf 'at the bottom\\n' > \"$2\"", src.toString(), bottom);
      String below = text(Commands.run("find", src.toString(), "-name", bottom, "-printf", "%P"));
      assertTrue(dst.toString().length() + 1 + below.length() > 4096, "the case needs a path beyond PATH_MAX: " + below.length());
      Rsync.oracle(src, dst, oracle, false);

      assertOk(sync("/data/exact/long", "/data/exact/long", List.of("node1"), false), "node1");
      assertTrue(RawNames.listing(dst).contains("f " + below), "the deepest file is there");
      Rsync.assertSameTree(oracle, dst);
    } finally {
      // Neither JUnit nor TestCluster can remove a tree deeper than PATH_MAX through Path; rm can.
      Commands.run("rm", "-rf", src.toString(), dst.toString(), oracle.toString());
    }
  }

  @Test
  void targetFileThatOnlyLooksLikeATemporaryFileSurvivesASyncWithoutDelete() throws IOException {
    Path src = cluster.path("node0", "/data/exact/lookalike");
    file(src, "a.txt", "a\n");
    Path dst = cluster.path("node1", "/data/exact/lookalike");
    Path mine = file(dst, ".gosync-x-1.tmp", "the user's own file, not gosync's\n");
    mtime(mine, 1_300_000_000L);
    Path oracle = Rsync.oracle(src, dst, oracles.resolve("lookalike"), false);

    assertOk(sync("/data/exact/lookalike", "/data/exact/lookalike", List.of("node1"), false), "node1");
    assertTrue(Files.exists(mine), ".gosync-x-1.tmp is still there");
    assertEquals("the user's own file, not gosync's\n", Files.readString(mine));
    Rsync.assertSameTree(oracle, dst);
  }
}
