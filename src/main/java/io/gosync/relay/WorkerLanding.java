package io.gosync.relay;

import io.gosync.fs.Stat;
import io.gosync.scan.Basis;
import io.gosync.scan.Entry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * {@link Landing}'s blocking steps for one stream, each on a worker thread, unordered (small files
 * land side by side), as the landing sink calls them from its context.
 */
final class WorkerLanding {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerLanding.class);

  private final Vertx vertx;
  private final Landing landing;

  WorkerLanding(Vertx vertx, Landing landing) {
    this.vertx = vertx;
    this.landing = landing;
  }

  /**
   * A large file's temporary file beside its final name, written as {@code placement} places the stream's bytes
   * (from an earlier task's start of it, or the blocks of a delta); see {@link LandingFile}. A delta's bytes are
   * only checked by their CRC as they come: its whole file's SHA-256 is verified once it is rebuilt.
   */
  LandingFile open(Entry file, LandingFile.Placement placement, Handler<Throwable> failed, Handler<Void> drained) {
    return new LandingFile(vertx, vertx.executeBlocking(() -> landing.createLarge(file, placement.start()), false),
        placement, placement.spans() == null ? landing.received() : new ReceivedBytes(false), failed, drained);
  }

  /**
   * Closes a large file after its last byte and its check, and renames it into place; one whose bytes do not
   * pass the check ({@code crc32c}), or, resumed, whose whole content is not the manifest's, is removed
   * instead, and the step fails. A delta is rebuilt from its old version first: when that old version changed,
   * or what it gives is not the manifest's file, it is removed, and the step completes with why; else with null.
   */
  Future<String> commit(LandingFile written, Entry file, int crc32c) {
    Basis basis = written.placement().basis();
    return written.close().compose(received -> vertx.executeBlocking(() -> {
      String trouble = received.trouble(file, crc32c);
      if (trouble == null && written.placement().start() > 0) {
        trouble = Landing.resumedTrouble(written.temp(), file);
      }
      if (trouble != null) {
        written.temp().discard();
        throw new IOException(trouble);
      }
      String unbuilt = basis == null ? null : landing.rebuild(written.temp(), file, basis);
      if (unbuilt != null) {
        LOG.info("{}: {}; it is fetched again whole", ReceivedBytes.display(file), unbuilt);
        written.temp().discard();
        return unbuilt;
      }
      Stat landed = landing.commit(written.temp(), file);
      if (basis != null) {
        landing.rebuilt(landed, file, basis);
      }
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
