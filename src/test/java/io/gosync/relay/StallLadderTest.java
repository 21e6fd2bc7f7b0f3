package io.gosync.relay;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The timeouts that depend on a relay tree's shape. */
class StallLadderTest {

  @Test
  void aReceiverWaitsLongerThanAnyAncestorMayPauseIt() {
    long stall = 30_000;
    StallLadder ladder = new StallLadder(stall);
    for (int height = 0; height < 60; height++) {
      // The longest an ancestor waits for a stalled child is stall + childHeight * stall / 2, childHeight < height.
      long longestAncestorWait = stall + Math.max(0, height - 1) * (stall / 2);
      assertTrue(ladder.silenceMs(height) > longestAncestorWait + stall / 4,
          "height " + height + ": idle " + ladder.silenceMs(height) + " vs " + longestAncestorWait);
    }
  }

  /** The tee looks for stalled branches every stall / 4, so one rung must be more than one look. */
  @Test
  void eachLevelUpWaitsLongerThanOneStallCheck() {
    long stall = 30_000;
    StallLadder ladder = new StallLadder(stall);
    assertEquals(stall, ladder.branchMs(0));
    for (int height = 0; height < 60; height++) {
      assertTrue(ladder.branchMs(height + 1) - ladder.branchMs(height) > stall / 4, "height " + height);
    }
  }

  @Test
  void theRulesAreTheOnesTheRelayHasAlwaysUsed() {
    for (long stall : new long[] {1, 999, 1_001, 30_000}) {
      StallLadder ladder = new StallLadder(stall);
      for (int height = 0; height < 10; height++) {
        assertEquals(stall + height * (stall / 2), ladder.branchMs(height), stall + " ms, height " + height);
        assertEquals(2 * stall + height * (stall / 2), ladder.silenceMs(height), stall + " ms, height " + height);
      }
    }
  }
}
