package io.gosync.control;

import io.gosync.protocol.ChunkRequest;
import io.gosync.protocol.Constants;
import io.gosync.protocol.ManifestRef;
import io.gosync.scan.Manifest;
import io.gosync.scan.ManifestCodec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;

import static io.gosync.protocol.Constants.taskAddress;

/**
 * A target pulls a task's manifest from its source, chunk after chunk, within its share of the node's manifest
 * budget, checks its digest and decodes it (on a worker thread). Lives on the control event loop.
 */
final class ManifestFetch {

  private static final int MAX_CHUNKS = 100_000;

  private final EventBus bus;
  private final String taskId;
  private final String source;
  private final ManifestRef ref;

  private ManifestFetch(EventBus bus, String taskId, String source, ManifestRef ref) {
    this.bus = bus;
    this.taskId = taskId;
    this.source = source;
    this.ref = ref;
  }

  static Future<Manifest> fetch(Vertx vertx, String taskId, String source, ManifestRef ref, ManifestBudget.Share mine) {
    ManifestFetch fetch = new ManifestFetch(vertx.eventBus(), taskId, source, ref);
    return fetch.fetchAll(mine)
        .compose(fetched -> vertx.executeBlocking(() -> fetch.decode(fetched.bytes(), fetched.limits()), false));
  }

  /** A manifest as it arrived, and the limits its decode must keep (this part's share, taken on the event loop). */
  private record Fetched(Buffer bytes, ManifestCodec.Limits limits) {
  }

  private Future<Fetched> fetchAll(ManifestBudget.Share mine) {
    int count = ref.chunks();
    if (count < 1 || count > MAX_CHUNKS) {
      return Future.failedFuture(new IllegalArgumentException("manifest: bad chunk count " + count));
    }
    Promise<Buffer> all = Promise.promise();
    fetchChunk(0, count, Buffer.buffer(), mine, all);
    return all.future().map(bytes -> new Fetched(bytes, mine.limits()));
  }

  /** Chunk after chunk, while what arrived stays within the share: compressed, a manifest is smaller than decoded. */
  private void fetchChunk(int chunk, int count, Buffer sofar, ManifestBudget.Share mine, Promise<Buffer> all) {
    if (chunk == count) {
      all.complete(sofar);
      return;
    }
    bus.<Buffer>request(taskAddress(taskId, Constants.MANIFEST), new ChunkRequest(chunk).toJson())
        .onSuccess(reply -> {
          if (sofar.length() + (long) reply.body().length() > mine.bytes()) {
            all.tryFail(new IllegalArgumentException("manifest: more than " + mine.bytes() + " bytes arrived for "
                + mine.entries() + " entries, more than they may decode to here"));
          } else {
            fetchChunk(chunk + 1, count, sofar.appendBuffer(reply.body()), mine, all);
          }
        })
        .onFailure(err -> all.tryFail("cannot fetch the manifest from " + source + ": " + err.getMessage()));
  }

  private Manifest decode(Buffer bytes, ManifestCodec.Limits limits) {
    byte[] encoded = bytes.getBytes();
    if (!ManifestCodec.digest(encoded).equals(ref.digest())) {
      throw new IllegalArgumentException("manifest: digest mismatch; it was damaged in transit");
    }
    return ManifestCodec.decode(encoded, limits);
  }
}
