package io.gosync.control;

import io.gosync.protocol.NeedList;
import io.gosync.protocol.Partials;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Grouping targets by need-list, without a cluster: equal needs share a group, an empty need gets none. */
class GroupingTest {

  private static NeedList need(int... indices) {
    BitSet bits = new BitSet();
    for (int index : indices) {
      bits.set(index);
    }
    return NeedList.of(bits);
  }

  @Test
  void targetsWithEqualNeedListsShareAGroupInTheOrderOfTheirFirstMember() {
    Map<String, NeedList> needs = Map.of("a", need(1, 2), "b", need(3), "c", need(1, 2), "d", need(3), "e", need(4));

    Grouping<String> grouping = Grouping.of(List.of("a", "b", "c", "d", "e"), needs::get, target -> Partials.NONE);

    assertEquals(List.of(new Group<>(need(1, 2), Partials.NONE, List.of("a", "c")), new Group<>(need(3), Partials.NONE, List.of("b", "d")),
        new Group<>(need(4), Partials.NONE, List.of("e"))), grouping.groups());
    assertEquals(List.of(), grouping.withoutData());
  }

  @Test
  void targetsThatNeedNothingAreFinishedWithoutData() {
    Map<String, NeedList> needs = Map.of("a", NeedList.NONE, "b", need(0), "c", need());

    Grouping<String> grouping = Grouping.of(List.of("a", "b", "c"), needs::get, target -> Partials.NONE);

    assertEquals(List.of(new Group<>(need(0), Partials.NONE, List.of("b"))), grouping.groups());
    assertEquals(List.of("a", "c"), grouping.withoutData());
  }

  @Test
  void noTargetsMakeNoGroups() {
    Grouping<String> grouping = Grouping.of(List.of(), target -> need(1), target -> Partials.NONE);

    assertEquals(List.of(), grouping.groups());
    assertEquals(List.of(), grouping.withoutData());
  }
}
