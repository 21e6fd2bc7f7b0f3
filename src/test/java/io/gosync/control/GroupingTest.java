package io.gosync.control;

import io.gosync.protocol.Deltas;
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

    Grouping<String> grouping = Grouping.of(List.of("a", "b", "c", "d", "e"), needs::get, target -> Deltas.NONE, target -> Partials.NONE);

    assertEquals(List.of(new Group<>(need(1, 2), Deltas.NONE, Partials.NONE, List.of("a", "c")), new Group<>(need(3), Deltas.NONE, Partials.NONE, List.of("b", "d")),
        new Group<>(need(4), Deltas.NONE, Partials.NONE, List.of("e"))), grouping.groups());
    assertEquals(List.of(), grouping.withoutData());
  }

  @Test
  void targetsThatNeedNothingAreFinishedWithoutData() {
    Map<String, NeedList> needs = Map.of("a", NeedList.NONE, "b", need(0), "c", need());

    Grouping<String> grouping = Grouping.of(List.of("a", "b", "c"), needs::get, target -> Deltas.NONE, target -> Partials.NONE);

    assertEquals(List.of(new Group<>(need(0), Deltas.NONE, Partials.NONE, List.of("b"))), grouping.groups());
    assertEquals(List.of("a", "c"), grouping.withoutData());
  }

  /** Issue 13: one stream sends each group the blocks its members lack, so equal need-lists are not enough. */
  @Test
  void targetsThatLackOtherBlocksOfTheSameFilesAreGroupedApart() {
    Map<String, Deltas> deltas = Map.of("a", deltas(5, 0), "b", deltas(5, 3), "c", deltas(5, 0), "d", Deltas.NONE);

    Grouping<String> grouping = Grouping.of(List.of("a", "b", "c", "d"), target -> need(5), deltas::get,
        target -> Partials.NONE);

    assertEquals(List.of(new Group<>(need(5), deltas(5, 0), Partials.NONE, List.of("a", "c")),
        new Group<>(need(5), deltas(5, 3), Partials.NONE, List.of("b")),
        new Group<>(need(5), Deltas.NONE, Partials.NONE, List.of("d"))), grouping.groups());
  }

  private static Deltas deltas(int index, int block) {
    BitSet blocks = new BitSet();
    blocks.set(block);
    return Deltas.of(Map.of(index, blocks));
  }

  @Test
  void noTargetsMakeNoGroups() {
    Grouping<String> grouping = Grouping.of(List.of(), target -> need(1), target -> Deltas.NONE, target -> Partials.NONE);

    assertEquals(List.of(), grouping.groups());
    assertEquals(List.of(), grouping.withoutData());
  }
}
