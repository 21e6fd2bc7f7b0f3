package io.gosync.control;

import io.gosync.protocol.ChunkRequest;
import io.gosync.protocol.ManifestRef;
import io.gosync.scan.Manifest;
import io.gosync.scan.ManifestCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A task's encoded manifest as its source serves it: cut into chunks that targets fetch one by
 * one on gosync.task.&lt;id&gt;.manifest (one event bus message must stay small even for a
 * million entries), with the digest of the whole that targets check. Lives on the control
 * event loop.
 */
final class SharedManifest {

  private final String digest;
  private final int entries;
  private List<Buffer> chunks;

  private SharedManifest(String digest, int entries, List<Buffer> chunks) {
    this.digest = digest;
    this.entries = entries;
    this.chunks = chunks;
  }

  /** Nothing to serve yet: the source has not scanned. */
  static SharedManifest none() {
    return new SharedManifest(null, 0, List.of());
  }

  /** Encodes the manifest off the event loop (compressing a large one takes long), then cuts it into chunks. */
  static Future<SharedManifest> encode(Vertx vertx, Manifest manifest, int chunkBytes) {
    return vertx.executeBlocking(() -> ManifestCodec.encode(manifest), false)
        .map(encoded -> of(encoded, manifest.size(), chunkBytes));
  }

  /** @param encoded the manifest as {@link ManifestCodec#encode} wrote it, of {@code entries} entries */
  private static SharedManifest of(byte[] encoded, int entries, int chunkBytes) {
    List<Buffer> chunks = new ArrayList<>();
    for (int at = 0; at < encoded.length; at += chunkBytes) {
      chunks.add(Buffer.buffer(Arrays.copyOfRange(encoded, at, Math.min(encoded.length, at + chunkBytes))));
    }
    return new SharedManifest(ManifestCodec.digest(encoded), entries, chunks);
  }

  /** What the prepare request tells targets about it. */
  ManifestRef ref() {
    return new ManifestRef(digest, chunks.size(), entries);
  }

  /** The consumer of chunk requests: a chunk, or 400 for any request outside the chunks. */
  void serve(Message<JsonObject> message) {
    Buffer chunk = chunk(message.body());
    if (chunk == null) {
      message.fail(400, "chunk: must be 0.." + (chunks.size() - 1));
    } else {
      message.reply(chunk);
    }
  }

  /** @return the chunk asked for, or null when the request names none of them */
  private Buffer chunk(JsonObject request) {
    try {
      int chunk = ChunkRequest.fromJson(request).chunk();
      return chunk >= 0 && chunk < chunks.size() ? chunks.get(chunk) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** A finished task stays in the history for status queries: it keeps its report, not its chunks. */
  void release() {
    chunks = List.of();
  }
}
