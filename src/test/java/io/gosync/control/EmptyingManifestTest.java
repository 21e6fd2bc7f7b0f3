package io.gosync.control;

import io.gosync.fs.Timestamp;
import io.gosync.protocol.ManifestRef;
import io.gosync.protocol.Prepare;
import io.gosync.scan.Entry;
import io.gosync.scan.Manifest;
import io.gosync.scan.ManifestCodec;
import io.gosync.scan.TreeSnapshot;
import io.gosync.testkit.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static io.gosync.testkit.TestCluster.await;
import static io.gosync.testkit.Trees.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A source that holds a certificate of the cluster (here node0's own event bus) but does not play by the
 * source's rules: it skips the check that refuses an empty src and serves a manifest of nothing but the root,
 * with delete on. The target must refuse it and keep every file of its destination.
 */
class EmptyingManifestTest {

  private static final String TARGET = "node5";
  private static final long MTIME = 1_500_000_000_000_000_000L;

  private final TestCluster cluster = TestCluster.shared();
  private final String dst = "/data/emptying-" + UUID.randomUUID() + "/dst";

  @Test
  void aRootOnlyManifestWithDeleteIsRefusedAndEveryFileStays() throws IOException {
    Path kept = cluster.path(TARGET, dst);
    file(kept, "keep.txt", "must stay\n");
    file(kept, "sub/deeper/also.txt", "must stay too\n");
    TreeSnapshot before = TreeSnapshot.of(kept);
    String id = "emptying-" + UUID.randomUUID();

    Throwable refusal = failureOf(prepareRootOnly(cluster.node("node0").vertx().eventBus(), id));

    assertTrue(refusal instanceof ReplyException, String.valueOf(refusal));
    ReplyException reply = (ReplyException) refusal;
    assertEquals(ReplyFailure.RECIPIENT_FAILURE, reply.failureType(), reply.toString());
    assertEquals(400, reply.failureCode(), reply.getMessage());
    assertTrue(reply.getMessage().contains("would empty " + dst) && reply.getMessage().contains("nothing was changed"),
        reply.getMessage());
    assertEquals(List.of(), before.differences(TreeSnapshot.of(kept)), TARGET + "'s destination changed");
    assertTrue(Files.isRegularFile(kept.resolve("sub/deeper/also.txt")));
  }

  /** Serves the manifest of dst's root alone, and asks the target to prepare dst with delete, as a source would. */
  private Future<?> prepareRootOnly(EventBus bus, String id) {
    byte[] manifest = ManifestCodec.encode(Manifest.of(List.of(Entry.dir("", Timestamp.ofEpochNanos(MTIME), 0755))));
    MessageConsumer<Object> serve = bus.consumer("gosync.task." + id + ".manifest",
        message -> message.reply(Buffer.buffer(manifest)));
    await(serve.completion(), 30);
    Prepare prepare = new Prepare(id, "node0", dst, true, true, new ManifestRef(ManifestCodec.digest(manifest), 1, 1),
        TARGET);
    return bus.request("gosync.node." + TARGET + ".prepare", prepare.toJson()).onComplete(done -> serve.unregister());
  }

  private static Throwable failureOf(Future<?> reply) {
    return await(reply.transform(done -> Future.succeededFuture(done.failed() ? done.cause() : null)), 60);
  }
}
