package io.gosync.relay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tees of this node's streams by task (a source has one a group, a receiver one), so that the source can
 * move a straggler out of the one that feeds it. Ended tees are forgotten as new ones come. One verticle's.
 */
final class TaskTees {

  private final Map<String, List<TeeWriteStream>> byTask = new HashMap<>();

  TeeWriteStream add(String taskId, TeeWriteStream tee) {
    byTask.values().forEach(tees -> tees.removeIf(TeeWriteStream::isEnded));
    byTask.values().removeIf(List::isEmpty);
    byTask.computeIfAbsent(taskId, id -> new ArrayList<>()).add(tee);
    return tee;
  }

  /** @return whether a tee of the task fed {@code child}, which it now no longer does */
  boolean move(String taskId, String child, String why) {
    boolean moved = false;
    for (TeeWriteStream tee : byTask.getOrDefault(taskId, List.of())) {
      moved |= tee.move(child, why);
    }
    return moved;
  }
}
