package io.gosync.control;

import io.gosync.protocol.Constants;
import io.gosync.testkit.TestCluster;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.gosync.testkit.TestCluster.result;
import static io.gosync.testkit.Trees.assertNoTemporaryFiles;
import static io.gosync.testkit.Trees.assertSameTree;
import static io.gosync.testkit.Trees.file;
import static io.gosync.testkit.Trees.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13 on a cluster of real nodes: a large file that changed a little is sent as the blocks its targets lack
 * (1 MiB each) and rebuilt from the version they hold. Each case syncs a first version to two targets in a chain,
 * changes the source, syncs again, and requires the trees to be equal and the stream to have carried only what
 * the case says (the targets' reported bytes).
 */
class DeltaSyncTest {

  private static final int MIB = 1 << 20;
  private static final List<String> CHAIN = List.of("node1", "node2");

  private final TestCluster cluster = TestCluster.shared();

  private JsonObject sync(String path, List<String> targets) {
    return cluster.sync("node0", new JsonObject().put("src", path).put("dst", path).put("fanout", 1)
        .put("delete", true).put("targets", new JsonArray(targets)));
  }

  /** Syncs {@code first}, then {@code second}, as big.bin beside a small file; checks the trees; the second task. */
  private JsonObject resync(String path, byte[] first, byte[] second) throws IOException {
    Path src = cluster.path("node0", path);
    file(src, "small.txt", "a small file, sent whole\n");
    file(src, "big.bin", first);
    assertOk(sync(path, CHAIN));
    file(src, "big.bin", second);
    JsonObject task = sync(path, CHAIN);
    assertOk(task);
    for (String target : CHAIN) {
      assertSameTree(src, cluster.path(target, path));
      assertNoTemporaryFiles(cluster.path(target, path));
    }
    return task;
  }

  private static void assertOk(JsonObject task) {
    assertTrue(task.getBoolean("ok"), task.encodePrettily());
  }

  private static void assertSent(JsonObject task, long bytes) {
    for (String target : CHAIN) {
      assertEquals(bytes, result(task, target).getLong("bytes"), target + ": " + result(task, target).encode());
    }
  }

  @Test
  void anAppendedFileSendsOnlyItsNewBlocks() throws IOException {
    byte[] first = random(1, 8 * MIB + 1000);
    byte[] second = Arrays.copyOf(first, first.length + MIB);
    System.arraycopy(random(2, MIB), 0, second, first.length, MIB);

    // Block 8 (1,000 bytes before, a whole block now) and block 9 (the last 1,000 bytes).
    JsonObject task = resync("/data/delta/appended", first, second);
    assertSent(task, MIB + 1000);
    for (String target : CHAIN) {
      assertEquals(1, result(task, target).getLong("rebuiltFiles"), target);
      assertEquals(8L * MIB, result(task, target).getLong("keptBytes"), target);
      assertEquals(MIB + 1000, result(task, target).getLong("deltaBytes"), target);
    }
  }

  @Test
  void aFileCutShortSendsItsNewLastBlockOrNothingAtABlocksEnd() throws IOException {
    byte[] first = random(3, 9 * MIB + 4000);
    assertSent(resync("/data/delta/cut", first, Arrays.copyOf(first, 6 * MIB + 100)), 100);
    byte[] again = random(4, 9 * MIB);
    assertSent(resync("/data/delta/cut-at-block", again, Arrays.copyOf(again, 6 * MIB)), 0);
  }

  @Test
  void aFileChangedInTheMiddleSendsTheBlocksThatChanged() throws IOException {
    byte[] first = random(5, 10 * MIB);
    byte[] second = first.clone();
    second[4 * MIB + 77]++;
    System.arraycopy(random(6, MIB), 0, second, 6 * MIB + MIB / 2, MIB); // across blocks 6 and 7

    assertSent(resync("/data/delta/middle", first, second), 3L * MIB);
  }

  /**
   * A large file of the same size with another mtime is not hashed in the prepare: its blocks are compared, all
   * match, and it is rebuilt from itself with the new mtime, no byte of it sent.
   */
  @Test
  void aLargeFileWithOnlyANewMtimeSendsNoByte() throws IOException {
    byte[] same = random(12, 5 * MIB + 3);
    String path = "/data/delta/touched";
    Path src = cluster.path("node0", path);
    file(src, "big.bin", same);
    assertOk(sync(path, CHAIN));
    Files.setLastModifiedTime(src.resolve("big.bin"), FileTime.fromMillis(1_500_000_000_000L));

    JsonObject task = sync(path, CHAIN);

    assertOk(task);
    assertSent(task, 0);
    for (String target : CHAIN) {
      assertEquals(FileTime.fromMillis(1_500_000_000_000L),
          Files.getLastModifiedTime(cluster.path(target, path).resolve("big.bin")));
      assertSameTree(src, cluster.path(target, path));
    }
  }

  /** Fixed blocks do not survive an insertion: every block after it moved, so the file goes whole (honest fallback). */
  @Test
  void aFileWithBytesInsertedNearItsStartIsSentWhole() throws IOException {
    byte[] first = random(7, 6 * MIB);
    byte[] second = new byte[first.length + 1024];
    System.arraycopy(first, 0, second, 0, 4096);
    System.arraycopy(random(8, 1024), 0, second, 4096, 1024);
    System.arraycopy(first, 4096, second, 4096 + 1024, first.length - 4096);

    JsonObject task = resync("/data/delta/inserted", first, second);
    assertSent(task, second.length);
    assertEquals(null, result(task, "node1").getLong("rebuiltFiles"), result(task, "node1").encode());
  }

  /** Targets that hold other old versions lack other blocks: each group gets its own stream, and both end right. */
  @Test
  void aTargetWithAnotherOldVersionIsFedInItsOwnGroup() throws IOException {
    String path = "/data/delta/versions";
    Path src = cluster.path("node0", path);
    byte[] v1 = random(9, 8 * MIB);
    byte[] v2 = v1.clone();
    v2[MIB + 5]++;
    byte[] v3 = v2.clone();
    v3[5 * MIB + 5]++;
    file(src, "big.bin", v1);
    assertOk(sync(path, List.of("node1", "node2")));
    file(src, "big.bin", v2);
    assertOk(sync(path, List.of("node2")));
    file(src, "big.bin", v3);

    JsonObject task = sync(path, List.of("node1", "node2"));

    assertOk(task);
    assertEquals(2, task.getInteger("groups"), task.encodePrettily());
    assertEquals(2L * MIB, result(task, "node1").getLong("bytes")); // blocks 1 and 5
    assertEquals(MIB, result(task, "node2").getLong("bytes")); // block 5
    for (String target : List.of("node1", "node2")) {
      assertSameTree(src, cluster.path(target, path));
    }
  }

  /**
   * The old version a target compared its blocks with changes before the stream comes (here as the source tells
   * the targets their parents, after grouping): it is not used, the target is fed the file again, whole, and ends
   * with the source's file, not a mix of the two.
   */
  @Test
  void anOldVersionThatChangesWhileItIsTheBasisIsNotUsedAndTheFileComesWhole() throws IOException {
    String path = "/data/delta/basis-changed";
    Path src = cluster.path("node0", path);
    byte[] first = random(10, 8 * MIB);
    byte[] second = first.clone();
    second[3 * MIB]++;
    file(src, "big.bin", first);
    assertOk(sync(path, CHAIN));
    file(src, "big.bin", second);
    Path basis = cluster.path("node2", path).resolve("big.bin");
    AtomicBoolean changed = new AtomicBoolean();
    EventBus bus = cluster.node("node0").vertx().eventBus();
    Handler<DeliveryContext<Object>> changeBasis = delivery -> {
      if (delivery.message().address().equals(Constants.nodeAddress("node2", Constants.PARENTS))
          && changed.compareAndSet(false, true)) {
        overwrite(basis, 6 * MIB, random(11, 1000));
      }
      delivery.next();
    };
    bus.addOutboundInterceptor(changeBasis);
    JsonObject task;
    try {
      task = sync(path, CHAIN);
    } finally {
      bus.removeOutboundInterceptor(changeBasis);
    }

    assertTrue(changed.get());
    assertOk(task);
    assertEquals(MIB, result(task, "node1").getLong("bytes"));
    assertEquals(second.length, result(task, "node2").getLong("bytes"), result(task, "node2").encode());
    assertArrayEquals(second, Files.readAllBytes(basis));
    assertSameTree(src, cluster.path("node1", path));
    assertNoTemporaryFiles(cluster.path("node2", path));
  }

  private static void overwrite(Path file, long at, byte[] bytes) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(bytes), at);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
