package io.gosync.relay;

import io.gosync.scan.Entry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;

/**
 * {@link Landing}'s blocking steps for one stream, each on a worker thread, unordered (small files
 * land side by side), as the landing sink calls them from its context.
 */
final class WorkerLanding {

  private final Vertx vertx;
  private final Landing landing;

  WorkerLanding(Vertx vertx, Landing landing) {
    this.vertx = vertx;
    this.landing = landing;
  }

  /** A large file's temporary file, created beside its final name; see {@link LandingFile}. */
  LandingFile open(int index, Entry file, Handler<Throwable> failed, Handler<Void> drained) {
    return new LandingFile(vertx, vertx.executeBlocking(() -> landing.create(index, file), false), file.size(),
        landing.received(), failed, drained);
  }

  /**
   * Closes a large file after its last byte and its check, and renames it into place; one whose bytes do not
   * pass the check ({@code crc32c}) is removed instead, and the step fails.
   */
  Future<Void> commit(LandingFile written, Entry file, int crc32c) {
    return written.close().map(received -> received.trouble(file, crc32c)).compose(trouble -> trouble != null
        ? written.discard().compose(v -> Future.failedFuture(trouble))
        : vertx.executeBlocking(() -> {
          landing.commit(written.temp(), file);
          return null;
        }, false));
  }

  /** Lands a small file whose bytes are all in memory, once they match {@code crc32c}. */
  Future<Void> whole(int index, Entry file, byte[] data, int crc32c) {
    return vertx.executeBlocking(() -> {
      landing.landWhole(index, file, data, crc32c);
      return null;
    }, false);
  }
}
