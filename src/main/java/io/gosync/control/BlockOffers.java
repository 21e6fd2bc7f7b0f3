package io.gosync.control;

import io.gosync.config.NodeConfig;
import io.gosync.liveness.Silence;
import io.gosync.protocol.BlockList;
import io.gosync.protocol.BlockOffer;
import io.gosync.protocol.Constants;
import io.gosync.protocol.Deltas;
import io.gosync.protocol.NeedList;
import io.gosync.scan.Manifest;
import io.gosync.scan.ScanMessages.BlocksRequest;
import io.gosync.scan.ScanMessages.SourceScan;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.gosync.protocol.Constants.nodeAddress;

/**
 * A task's block offers (issue 13), between prepare and grouping: the source reads the block lists of the needed
 * files its targets hold in another version, each once whatever the number of targets, and offers each target the
 * lists of its own; each answers with the blocks it lacks ({@link Deltas}), which group it with the targets that
 * lack the same. A target that does not answer, or answers badly, is sent those files whole. Lives on the control
 * event loop.
 */
final class BlockOffers {

  private static final Logger LOG = LoggerFactory.getLogger(BlockOffers.class);

  private final EventBus bus;
  private final NodeConfig config;
  private final String taskId;
  private final SourceScan scan;

  BlockOffers(EventBus bus, NodeConfig config, String taskId, SourceScan scan) {
    this.bus = bus;
    this.config = config;
    this.taskId = taskId;
    this.scan = scan;
  }

  /** Offers each of {@code targets} the lists of its files held in another version; completes when all answered. */
  Future<Void> offer(List<TargetState> targets) {
    BitSet wanted = new BitSet();
    targets.forEach(target -> offerable(target.bases()).indices().forEach(wanted::set));
    if (wanted.isEmpty()) {
      return Future.succeededFuture();
    }
    return bus.<BlockOffer>request(nodeAddress(config.name(), Constants.SCAN_BLOCKS),
            new BlocksRequest(taskId, scan.path(), scan.manifest(), NeedList.of(wanted)),
            new DeliveryOptions().setSendTimeout(Silence.LONG_WAIT_MS))
        .map(Message::body)
        .compose(lists -> Future.join(targets.stream().map(target -> offer(target, lists)).toList()))
        .<Void>mapEmpty()
        .recover(err -> {
          LOG.info("task {}: no block lists, changed files are sent whole: {}", taskId, err.getMessage());
          return Future.succeededFuture();
        });
  }

  /** The first of these files whose lists fit in one offer ({@link BlockOffer#MAX_LIST_BYTES}); the rest go whole. */
  private NeedList offerable(NeedList bases) {
    BitSet fit = new BitSet();
    long bytes = 0;
    for (int index = bases.next(0); index >= 0; index = bases.next(index + 1)) {
      long size = scan.manifest().entry(index).size();
      bytes += BlockList.HEADER_BYTES + (long) blockCount(size) * BlockList.HASH_BYTES;
      if (bytes > BlockOffer.MAX_LIST_BYTES) {
        break;
      }
      fit.set(index);
    }
    return NeedList.of(fit);
  }

  private Future<Void> offer(TargetState target, BlockOffer lists) {
    Map<Integer, BlockList> own = new TreeMap<>(lists.lists());
    own.keySet().retainAll(offerable(target.bases()).indices().boxed().toList());
    if (target.isFinal() || own.isEmpty()) {
      return Future.succeededFuture();
    }
    return bus.<JsonObject>request(nodeAddress(target.name(), Constants.BLOCKS), new BlockOffer(taskId, own).toJson(),
            new DeliveryOptions().setSendTimeout(config.prepareTimeoutMs()))
        .onSuccess(reply -> answered(target, own, reply.body()))
        .onFailure(err -> LOG.info("task {}: {} took no block lists, its changed files are sent whole: {}", taskId,
            target.name(), err.getMessage()))
        .<Void>mapEmpty()
        .recover(err -> Future.succeededFuture());
  }

  private void answered(TargetState target, Map<Integer, BlockList> offered, JsonObject reply) {
    Manifest manifest = scan.manifest();
    Deltas deltas;
    try {
      BitSet indices = new BitSet();
      offered.keySet().forEach(indices::set);
      deltas = Deltas.fromJson(reply.getJsonArray("deltas"), NeedList.of(indices),
          index -> blockCount(manifest.entry(index).size()));
    } catch (RuntimeException e) {
      LOG.info("task {}: {} answered a block offer badly, its changed files are sent whole: {}", taskId,
          target.name(), e.getMessage());
      return;
    }
    long kept = 0;
    for (Map.Entry<Integer, BitSet> file : deltas.asMap().entrySet()) {
      BlockList list = offered.get(file.getKey());
      kept += list.fileSize() - file.getValue().stream().mapToLong(list::length).sum();
    }
    target.deltas(deltas, kept);
  }

  private static int blockCount(long size) {
    return BlockList.count(size, BlockList.blockSize(size));
  }
}
