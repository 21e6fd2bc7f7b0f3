package io.gosync.control;

import io.gosync.config.NodeConfig;
import io.gosync.protocol.Constants;
import io.gosync.protocol.StragglerMove;
import io.gosync.relay.wire.TreeNode;
import io.vertx.core.eventbus.EventBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.gosync.protocol.Constants.nodeAddress;

/**
 * A task's stragglers, on its source: watches each group's tree ({@link Stragglers}) as its progress reports
 * come, and has the parent of one that holds the others back drop it (its children are taken over, as when a
 * relay dies); {@link Refeeds} feeds it apart once its group is over. Lives on the control event loop.
 */
final class StragglerMoves {

  private static final Logger LOG = LoggerFactory.getLogger(StragglerMoves.class);

  private final EventBus bus;
  private final NodeConfig config;
  private final String taskId;
  private final TaskEvents events;
  private final Refeeds refeeds;
  private final BestRates rates;
  private final Map<String, Stragglers> trees = new HashMap<>();

  /**
   * @param refeeds feeds a moved target apart
   * @param rates what the targets did in this source's tasks so far, shared by them
   */
  StragglerMoves(EventBus bus, NodeConfig config, String taskId, TaskEvents events, Refeeds refeeds,
      BestRates rates) {
    this.bus = bus;
    this.config = config;
    this.taskId = taskId;
    this.events = events;
    this.refeeds = refeeds;
    this.rates = rates;
  }

  /** A group streams down {@code children} (below this node) to these members. */
  void watch(List<TreeNode> children, List<TargetState> members) {
    if (config.stragglerAfterMs() == 0 || members.size() < 2) {
      return;
    }
    Stragglers tree = new Stragglers(config.name(), children, config.stragglerAfterMs(), config.stragglerHeldPercent(),
        config.stragglerRatePercent(), rates);
    members.forEach(member -> trees.put(member.name(), tree));
  }

  void progress(TargetState target, Map<String, Long> held, long bytes, long nowMs) {
    Stragglers tree = trees.get(target.name());
    if (tree == null) {
      return;
    }
    tree.heard(target.name(), held, bytes, nowMs);
    move(tree.straggler(nowMs));
  }

  private void move(Stragglers.Move move) {
    if (move != null) {
      LOG.info("task {}: moving {} out of the relay tree: {}", taskId, move.straggler(), move.why());
      refeeds.moved(move.straggler());
      bus.send(nodeAddress(move.parent(), Constants.RELAY_MOVE),
          new StragglerMove(taskId, move.straggler(), move.why()).toJson());
      events.moved(move.straggler(), move.parent(), move.why());
    }
  }

  /** The source's own tee, of one of its groups: which tree it feeds, its branches tell. */
  void sourceProgress(Map<String, Long> held, long nowMs) {
    for (Stragglers tree : Set.copyOf(trees.values())) {
      if (tree.fedBySource(held)) {
        tree.heard(config.name(), held, 0, nowMs);
        move(tree.straggler(nowMs));
      }
    }
  }

  void relinked(String target, String parent) {
    Stragglers tree = trees.get(target);
    if (tree != null) {
      tree.relinked(target, parent);
    }
  }
}
