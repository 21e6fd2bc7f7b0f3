package io.gosync.control;

import io.gosync.protocol.Deltas;
import io.gosync.protocol.NeedList;
import io.gosync.protocol.Partials;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Prepared targets sorted by need-list and deltas: the groups that need data, in the order of their first
 * member, and the targets that need nothing (they are finished without a stream).
 */
record Grouping<T>(List<Group<T>> groups, List<T> withoutData) {

  Grouping {
    groups = List.copyOf(groups);
    withoutData = List.copyOf(withoutData);
  }

  /** What a group's members share. */
  private record Key(NeedList need, Deltas deltas) {
  }

  static <T> Grouping<T> of(List<T> targets, Function<T, NeedList> needOf, Function<T, Deltas> deltasOf,
      Function<T, Partials> partialsOf) {
    Map<Key, List<T>> byNeed = new LinkedHashMap<>();
    for (T target : targets) {
      byNeed.computeIfAbsent(new Key(needOf.apply(target), deltasOf.apply(target)), key -> new ArrayList<>()).add(target);
    }
    List<Group<T>> groups = new ArrayList<>();
    List<T> withoutData = new ArrayList<>();
    byNeed.forEach((key, members) -> {
      if (key.need().isEmpty()) {
        withoutData.addAll(members);
      } else {
        groups.add(new Group<>(key.need(), key.deltas(),
            Partials.common(members.stream().map(partialsOf).toList()), members));
      }
    });
    return new Grouping<>(groups, withoutData);
  }
}
