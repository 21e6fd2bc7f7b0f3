package io.gosync.control;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A task's targets whose stream ended early through no fault of theirs, fed again once their group's stream is
 * over: prepared again, each needs only what it lacks, a large file resumed from its partial. A straggler moved
 * out of its tree is fed alone, so that it holds nobody back again; the nodes of a group cut off below a dead
 * relay that no ancestor could take over (too far behind for every replay window, or below a node that lost its
 * own stream) are fed together, down a tree of their own. A target is fed again once at most: cut off a second
 * time, it fails. Lives on the control event loop.
 */
final class Refeeds {

  private final Consumer<List<TargetState>> feed;
  private final Consumer<TargetState> changed;
  private final Map<String, Integer> groups = new HashMap<>();
  private final Set<Integer> over = new HashSet<>();
  private final Set<String> moved = new HashSet<>();
  private final Set<String> fedAgain = new HashSet<>();
  /** By group, moved targets waiting for it to be over: each is fed alone. */
  private final Map<Integer, List<TargetState>> movedWaiting = new HashMap<>();
  /** By group, cut-off targets waiting for it to be over: they are fed together. */
  private final Map<Integer, List<TargetState>> cutWaiting = new HashMap<>();

  /**
   * @param feed prepares these targets again and sends them what they lack, as one group where they can be
   * @param changed hears that a target waits (pending) to be fed again, before it is
   */
  Refeeds(Consumer<List<TargetState>> feed, Consumer<TargetState> changed) {
    this.feed = feed;
    this.changed = changed;
  }

  /** Group {@code number} streams to these members. */
  void watch(int number, List<TargetState> members) {
    members.forEach(member -> groups.put(member.name(), number));
  }

  /** The source moved {@code target} out of its tree: its stream ends, and it waits to be fed alone. */
  void moved(String target) {
    moved.add(target);
  }

  /**
   * {@code target}'s stream ended without its data: cut off ({@code cut}), or failed after it was moved.
   * @return whether it will be fed again, and waits (pending) for that; else its end is its fate
   */
  boolean ended(TargetState target, boolean cut) {
    boolean wasMoved = moved.remove(target.name());
    Integer group = groups.get(target.name());
    if (!(wasMoved || cut) || group == null || !fedAgain.add(target.name())) {
      return false;
    }
    if (target.pending()) {
      changed.accept(target);
    }
    if (over.contains(group)) {
      feed.accept(List.of(target));
      return true;
    }
    (wasMoved ? movedWaiting : cutWaiting).computeIfAbsent(group, number -> new ArrayList<>()).add(target);
    return true;
  }

  /** Group {@code number}'s stream is over: those that wait for it are fed now. */
  void groupOver(int number) {
    over.add(number);
    movedWaiting.getOrDefault(number, List.of()).forEach(target -> feed.accept(List.of(target)));
    movedWaiting.remove(number);
    List<TargetState> cut = cutWaiting.remove(number);
    if (cut != null) {
      feed.accept(List.copyOf(cut));
    }
  }
}
