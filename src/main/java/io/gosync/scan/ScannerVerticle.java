package io.gosync.scan;

import io.gosync.config.NodeConfig;
import io.gosync.protocol.BlockOffer;
import io.gosync.scan.ScanMessages.Bases;
import io.gosync.scan.ScanMessages.BasesRequest;
import io.gosync.scan.ScanMessages.BlocksRequest;
import io.gosync.scan.ScanMessages.LearnedBlocks;
import io.gosync.scan.ScanMessages.FinishRequest;
import io.gosync.scan.ScanMessages.PrepareRequest;
import io.gosync.scan.ScanMessages.SourceRequest;
import io.gosync.scan.ScanMessages.SourceScan;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;

import static io.gosync.protocol.Constants.SCAN_BASES;
import static io.gosync.protocol.Constants.SCAN_BLOCKS;
import static io.gosync.protocol.Constants.SCAN_FINISH;
import static io.gosync.protocol.Constants.SCAN_LEARN;
import static io.gosync.protocol.Constants.SCAN_PREPARE;
import static io.gosync.protocol.Constants.SCAN_SOURCE;
import static io.gosync.protocol.Constants.nodeAddress;

/**
 * Everything that blocks on the file system before and after a transfer: walking and hashing
 * the source, diffing and preparing a destination, finishing directory metadata. Deployed as
 * a worker verticle; its one instance owns the hash cache and the block cache. See verticles-docs/scanner.md.
 */
public final class ScannerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ScannerVerticle.class);
  /**
   * Threads that walk one request's tree, a directory each at a time. Few: the scanner serves one request at a
   * time, and the daemon's other work (landing, the event loops) shares the cores; statx and getdents scale
   * with cores on a warm tree, hashing does on a cold one.
   */
  static final int WALK_THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  private final NodeConfig config;
  private final TempNames temps;
  private Roots roots;
  private HashCache cache;
  /** Where the cache outlives the daemon; null with an empty stateDir (memory only). */
  private HashCacheFile store;
  private BlockCache blockCache;
  private BlockReads blockReads;
  private BlockCacheFile blockStore;
  private ForkJoinPool walkPool;
  private TreeWalk walk;

  public ScannerVerticle(NodeConfig config, TempNames temps) {
    this.config = config;
    this.temps = temps;
  }

  @Override
  public Future<?> start() {
    roots = new Roots(config.root(), config.allow());
    walkPool = new ForkJoinPool(WALK_THREADS, ScannerVerticle::walkThread, null, false);
    walk = new TreeWalk(walkPool);
    long maxHeap = Runtime.getRuntime().maxMemory();
    cache = new HashCache(HashCache.capacity(config.hashCacheEntries(), maxHeap));
    if (cache.capacity() < config.hashCacheEntries()) {
      LOG.info("hash cache limited to {} entries (hashCacheEntries {}): a quarter of the {} MiB heap",
          cache.capacity(), config.hashCacheEntries(), maxHeap >> 20);
    }
    if (!config.stateDir().isEmpty()) {
      store = new HashCacheFile(Path.of(config.stateDir()), config.name());
      store.restoreInto(cache);
    }
    startBlockCache(maxHeap);
    var bus = vertx.eventBus();
    return Future.all(
        bus.<SourceRequest>localConsumer(nodeAddress(config.name(), SCAN_SOURCE), this::onSource).completion(),
        bus.<PrepareRequest>localConsumer(nodeAddress(config.name(), SCAN_PREPARE), this::onPrepare).completion(),
        bus.<FinishRequest>localConsumer(nodeAddress(config.name(), SCAN_FINISH), this::onFinish).completion(),
        bus.<BlocksRequest>localConsumer(nodeAddress(config.name(), SCAN_BLOCKS), this::onBlocks).completion(),
        bus.<BasesRequest>localConsumer(nodeAddress(config.name(), SCAN_BASES), this::onBases).completion(),
        bus.<LearnedBlocks>localConsumer(nodeAddress(config.name(), SCAN_LEARN), this::onLearned).completion());
  }

  /**
   * A sixteenth of the heap holds the block lists of about 512 GiB of large files in 1 MiB blocks on a 256 MiB
   * heap (32 bytes a block); they are only ever taken of files that changed, so that is many releases' worth.
   */
  private void startBlockCache(long maxHeap) {
    blockCache = new BlockCache(Math.max(1, maxHeap / 16));
    blockReads = new BlockReads(blockCache);
    if (!config.stateDir().isEmpty()) {
      blockStore = new BlockCacheFile(Path.of(config.stateDir()), config.name());
      blockStore.restoreInto(blockCache);
    }
  }

  @Override
  public Future<?> stop() {
    walkPool.shutdownNow();
    return Future.succeededFuture();
  }

  private static ForkJoinWorkerThread walkThread(ForkJoinPool pool) {
    ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
    thread.setName("gosync-walk-" + thread.getPoolIndex());
    return thread;
  }

  private void onSource(Message<SourceRequest> message) {
    SourceRequest request = message.body();
    if (request.checkOnly()) {
      // Quick and cache-free, so it runs beside a long scan instead of queueing behind it.
      vertx.executeBlocking(() -> {
        answer(message, () -> check(request));
        return null;
      }, false);
      return;
    }
    answer(message, () -> {
      Path src = roots.resolve("src", request.src());
      Instant began = Instant.now();
      SourceScanner.Result scan = new SourceScanner(cache, walk).scan(src, request.src());
      return new SourceScan(src, scan.manifest(), scan.skipped(), scan.hashedBytes(), began);
    });
    saveCache();
  }

  /** After a request that hashed something new: the cache is saved whole, off the task's path (it was answered). */
  private void saveCache() {
    if (store != null) {
      store.saveChanges(cache);
    }
  }

  private SourceScan check(SourceRequest request) throws IOException {
    Path src = roots.resolve("src", request.src());
    SourceScanner.check(src, request.src());
    if (request.localDst() != null) {
      Path dst = roots.resolve("dst", request.localDst());
      if (dst.startsWith(src) || src.startsWith(dst)) {
        throw new IllegalArgumentException("dst: " + request.localDst() + " on this source node overlaps src "
            + request.src() + " (after following symlinks)");
      }
    }
    return new SourceScan(src, null, List.of(), 0, Instant.now());
  }

  private void onPrepare(Message<PrepareRequest> message) {
    PrepareRequest request = message.body();
    answer(message, () -> {
      Path dst = request.manifest().singleFile()
          ? roots.resolveFile("dst", request.dst())
          : roots.resolve("dst", request.dst());
      return new TargetPreparer(cache, walk, temps, config.durable(), dst, request.manifest(), request.delete(),
          request.overwrite()).prepare();
    });
    saveCache();
  }

  private void onBlocks(Message<BlocksRequest> message) {
    BlocksRequest request = message.body();
    answer(message, () -> new BlockOffer(request.taskId(),
        blockReads.offer(request.src(), request.manifest(), request.files())));
    saveBlocks();
  }

  private void onBases(Message<BasesRequest> message) {
    BasesRequest request = message.body();
    answer(message, () -> new Bases(blockReads.bases(request.dst(), request.manifest(), request.offered())));
    saveBlocks();
  }

  private void onLearned(Message<LearnedBlocks> message) {
    LearnedBlocks learned = message.body();
    blockCache.learn(learned.stat(), new BlockHashes.Hashed(learned.hash(), learned.blocks()));
    saveBlocks();
  }

  private void saveBlocks() {
    if (blockStore != null) {
      blockStore.saveChanges(blockCache);
    }
  }

  private void onFinish(Message<FinishRequest> message) {
    FinishRequest request = message.body();
    answer(message, () -> DestinationFinish.finish(request.dst(), request.manifest(), config.durable()));
  }

  /** Runs on this worker's thread; a bad request is a 400, anything else a 500 with its reason. */
  private static <T> void answer(Message<?> message, Callable<T> work) {
    try {
      message.reply(work.call());
    } catch (IllegalArgumentException e) {
      message.fail(400, e.getMessage());
    } catch (Exception e) {
      message.fail(500, describe(e));
    }
  }

  static String describe(Exception e) {
    String text = e.getMessage();
    String kind = e.getClass().getSimpleName();
    if (e instanceof FileSystemException fs) {
      text = fs.getFile() + (fs.getReason() != null ? ": " + fs.getReason() : "");
    }
    return kind + ": " + text;
  }
}
