package io.gosync.control;

import io.gosync.config.NodeConfig;
import io.gosync.protocol.Constants;
import io.gosync.protocol.StragglerMove;
import io.gosync.relay.wire.TreeNode;
import io.vertx.core.eventbus.EventBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static io.gosync.protocol.Constants.nodeAddress;

/**
 * A task's stragglers, on its source: watches each group's tree ({@link Stragglers}) as its progress reports
 * come, has the parent of one that holds the others back drop it (its children are taken over, as when a relay
 * dies), and once both its first stream and its group's are over, has it fed apart: prepared again, it needs
 * only what it lacks, a large file resumed from its partial. Lives on the control event loop.
 */
final class StragglerMoves {

  private static final Logger LOG = LoggerFactory.getLogger(StragglerMoves.class);

  private final EventBus bus;
  private final NodeConfig config;
  private final String taskId;
  private final TaskEvents events;
  private final Consumer<TargetState> feedApart;
  private final BestRates rates;
  private final Map<String, Stragglers> trees = new HashMap<>();
  private final Map<String, Integer> groups = new HashMap<>();
  private final Set<Integer> groupsOver = new HashSet<>();
  /** Moved, its first stream not yet over. */
  private final Set<String> moved = new HashSet<>();
  /** Moved and cut off: waiting for its group to be over. */
  private final Map<String, TargetState> waiting = new HashMap<>();

  /**
   * @param feedApart prepares a moved target again and feeds it in a group of its own
   * @param rates what the targets did in this source's tasks so far, shared by them
   */
  StragglerMoves(EventBus bus, NodeConfig config, String taskId, TaskEvents events, Consumer<TargetState> feedApart,
      BestRates rates) {
    this.bus = bus;
    this.config = config;
    this.taskId = taskId;
    this.events = events;
    this.feedApart = feedApart;
    this.rates = rates;
  }

  /** Group {@code number} streams down {@code children} (below this node) to these members. */
  void watch(int number, List<TreeNode> children, List<TargetState> members) {
    if (config.stragglerAfterMs() == 0 || members.size() < 2) {
      return;
    }
    Stragglers tree = new Stragglers(config.name(), children, config.stragglerAfterMs(), config.stragglerHeldPercent(),
        config.stragglerRatePercent(), rates);
    for (TargetState member : members) {
      trees.put(member.name(), tree);
      groups.put(member.name(), number);
    }
  }

  void progress(TargetState target, Map<String, Long> held, long bytes, long nowMs) {
    Stragglers tree = trees.get(target.name());
    if (tree == null) {
      return;
    }
    tree.heard(target.name(), held, bytes, nowMs);
    Stragglers.Move move = tree.straggler(nowMs);
    if (move != null) {
      LOG.info("task {}: moving {} out of the relay tree: {}", taskId, move.straggler(), move.why());
      moved.add(move.straggler());
      bus.send(nodeAddress(move.parent(), Constants.RELAY_MOVE),
          new StragglerMove(taskId, move.straggler(), move.why()).toJson());
      events.moved(move.straggler(), move.parent(), move.why());
    }
  }

  void relinked(String target, String parent) {
    Stragglers tree = trees.get(target);
    if (tree != null) {
      tree.relinked(target, parent);
    }
  }

  /**
   * A target's stream failed. @return true when it was moved: that is its first stream's end, not its fate;
   * it waits (pending) to be fed apart
   */
  boolean cutOff(TargetState target) {
    if (!moved.remove(target.name())) {
      return false;
    }
    target.pending();
    if (groupsOver.contains(groups.get(target.name()))) {
      feedApart.accept(target);
    } else {
      waiting.put(target.name(), target);
    }
    return true;
  }

  /** Group {@code number}'s stream is over: its moved members may be fed now. */
  void groupOver(int number) {
    groupsOver.add(number);
    for (TargetState target : List.copyOf(waiting.values())) {
      if (groups.get(target.name()) == number) {
        waiting.remove(target.name());
        feedApart.accept(target);
      }
    }
  }
}
