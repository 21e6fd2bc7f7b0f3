package io.gosync.control;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which targets whose stream ended early are fed again, when, and with whom. */
class RefeedsTest {

  private final List<List<String>> fed = new ArrayList<>();
  /** What happened, in order: a target's change, or a feeding. */
  private final List<String> log = new ArrayList<>();
  private final Refeeds refeeds = new Refeeds(targets -> {
    fed.add(targets.stream().map(TargetState::name).toList());
    log.add("fed " + fed.get(fed.size() - 1));
  }, target -> log.add(target.name() + " " + target.status().label()));
  private final TargetState h2 = TargetState.resolved("h2", "h2");
  private final TargetState h3 = TargetState.resolved("h3", "h3");
  private final TargetState h4 = TargetState.resolved("h4", "h4");

  @Test
  void cutOffNodesWaitForTheirGroupAndAreFedTogether() {
    refeeds.watch(1, List.of(h2, h3, h4));

    assertTrue(refeeds.ended(h3, true));
    assertTrue(refeeds.ended(h4, true));
    assertEquals(List.of(), fed);

    refeeds.groupOver(1);
    assertEquals(List.of("h3 pending", "h4 pending", "fed [h3, h4]"), log);
  }

  @Test
  void aMovedStragglerIsFedAloneEvenWhenItsStreamFailed() {
    refeeds.watch(1, List.of(h2, h3, h4));
    refeeds.moved("h2");

    assertTrue(refeeds.ended(h2, false));
    assertTrue(refeeds.ended(h3, true));
    refeeds.groupOver(1);

    assertEquals(List.of(List.of("h2"), List.of("h3")), fed);
  }

  @Test
  void aStreamCutOffAfterItsGroupIsOverIsFedAtOnce() {
    refeeds.watch(1, List.of(h2, h3));
    refeeds.groupOver(1);

    assertTrue(refeeds.ended(h3, true));
    assertEquals(List.of("h3 pending", "fed [h3]"), log, "its wait is told before it is fed");
  }

  /** A failure of its own (a full disk) is a target's fate; and nobody is fed again twice. */
  @Test
  void aFailureOrASecondCutOffIsFinal() {
    refeeds.watch(1, List.of(h2, h3));
    assertFalse(refeeds.ended(h2, false));

    assertTrue(refeeds.ended(h3, true));
    refeeds.groupOver(1);
    refeeds.watch(2, List.of(h3));
    assertFalse(refeeds.ended(h3, true));
    assertEquals(List.of(List.of("h3")), fed);
  }

  @Test
  void aTargetOfNoGroupIsNotFedAgain() {
    assertFalse(refeeds.ended(h2, true));
  }
}
