package io.gosync.relay;

import io.gosync.scan.Entry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;

import java.io.IOException;

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

  /**
   * A large file's temporary file beside its final name, written from byte {@code from} (what an earlier task
   * left of it is kept up to there); see {@link LandingFile}.
   */
  LandingFile open(Entry file, long from, Handler<Throwable> failed, Handler<Void> drained) {
    return new LandingFile(vertx, vertx.executeBlocking(() -> landing.createLarge(file, from), false), from,
        file.size(), landing.received(), failed, drained);
  }

  /**
   * Closes a large file after its last byte and its check, and renames it into place; one whose bytes do not
   * pass the check ({@code crc32c}), or, resumed, whose whole content is not the manifest's, is removed
   * instead, and the step fails.
   */
  Future<Void> commit(LandingFile written, Entry file, int crc32c) {
    return written.close().compose(received -> vertx.executeBlocking(() -> {
      String trouble = received.trouble(file, crc32c);
      if (trouble == null && written.from() > 0) {
        trouble = Landing.resumedTrouble(written.temp(), file);
      }
      if (trouble != null) {
        written.temp().discard();
        throw new IOException(trouble);
      }
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
