package io.gosync.control;

import io.gosync.protocol.Deltas;
import io.gosync.protocol.NeedList;
import io.gosync.protocol.Partials;
import io.gosync.testkit.Bits;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Grouping targets by need-list, without a cluster: equal needs share a group, an empty need gets none. */
class GroupingTest {

  @Test
  void targetsWithEqualNeedListsShareAGroupInTheOrderOfTheirFirstMember() {
    Map<String, NeedList> needs = Map.of("a", Bits.needList(1, 2), "b", Bits.needList(3), "c", Bits.needList(1, 2), "d", Bits.needList(3), "e", Bits.needList(4));

    Grouping<String> grouping = Grouping.of(List.of("a", "b", "c", "d", "e"), needs::get, target -> Deltas.NONE, target -> Partials.NONE);

    assertEquals(List.of(new Group<>(Bits.needList(1, 2), Deltas.NONE, Partials.NONE, List.of("a", "c")), new Group<>(Bits.needList(3), Deltas.NONE, Partials.NONE, List.of("b", "d")),
        new Group<>(Bits.needList(4), Deltas.NONE, Partials.NONE, List.of("e"))), grouping.groups());
    assertEquals(List.of(), grouping.withoutData());
  }

  @Test
  void targetsThatNeedNothingAreFinishedWithoutData() {
    Map<String, NeedList> needs = Map.of("a", NeedList.NONE, "b", Bits.needList(0), "c", Bits.needList());

    Grouping<String> grouping = Grouping.of(List.of("a", "b", "c"), needs::get, target -> Deltas.NONE, target -> Partials.NONE);

    assertEquals(List.of(new Group<>(Bits.needList(0), Deltas.NONE, Partials.NONE, List.of("b"))), grouping.groups());
    assertEquals(List.of("a", "c"), grouping.withoutData());
  }

  /** Issue 13: one stream sends each group the blocks its members lack, so equal need-lists are not enough. */
  @Test
  void targetsThatLackOtherBlocksOfTheSameFilesAreGroupedApart() {
    Map<String, Deltas> deltas = Map.of("a", deltas(5, 0), "b", deltas(5, 3), "c", deltas(5, 0), "d", Deltas.NONE);

    Grouping<String> grouping = Grouping.of(List.of("a", "b", "c", "d"), target -> Bits.needList(5), deltas::get,
        target -> Partials.NONE);

    assertEquals(List.of(new Group<>(Bits.needList(5), deltas(5, 0), Partials.NONE, List.of("a", "c")),
        new Group<>(Bits.needList(5), deltas(5, 3), Partials.NONE, List.of("b")),
        new Group<>(Bits.needList(5), Deltas.NONE, Partials.NONE, List.of("d"))), grouping.groups());
  }

  private static Deltas deltas(int index, int block) {
    return Deltas.of(Map.of(index, Bits.of(block)));
  }

  @Test
  void noTargetsMakeNoGroups() {
    Grouping<String> grouping = Grouping.of(List.of(), target -> Bits.needList(1), target -> Deltas.NONE, target -> Partials.NONE);

    assertEquals(List.of(), grouping.groups());
    assertEquals(List.of(), grouping.withoutData());
  }
}
