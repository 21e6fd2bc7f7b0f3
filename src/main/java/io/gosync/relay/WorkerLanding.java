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
        failed, drained);
  }

  /**
   * Closes a large file after its last byte and renames it into place: true. False when what came
   * hashes otherwise than the manifest: the file is left closed where it is, for the caller to
   * discard or to fail.
   */
  Future<Boolean> commit(LandingFile written, Entry file) {
    return written.close().compose(hash -> !hash.equals(file.hash()) ? Future.succeededFuture(false)
        : vertx.executeBlocking(() -> {
          landing.commit(written.temp(), file, hash);
          return true;
        }, false));
  }

  /** Lands a small file whose bytes are all in memory. */
  Future<Void> whole(int index, Entry file, byte[] data) {
    return vertx.executeBlocking(() -> {
      landing.landWhole(index, file, data);
      return null;
    }, false);
  }
}
