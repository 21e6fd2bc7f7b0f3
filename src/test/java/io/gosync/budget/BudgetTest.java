package io.gosync.budget;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The arithmetic of a budget: its size from the heap, taking, giving back, and each refusal's words. */
class BudgetTest {

  /** What Runtime.maxMemory() says for -Xmx256m with the serial collector (config/daemon-jvm.options). */
  private static final long HEAP_256M = 265_945_088L;

  @Test
  void aShareOfTheHeapIsCountedInUnitsOfTheirCost() {
    assertEquals(129_856, Budget.ofHeap("entries", HEAP_256M, 2, 1024).capacity());
    assertEquals(16_621_568, Budget.ofHeap("bytes", HEAP_256M, 16, 1).capacity());
  }

  @Test
  void takenUnitsAreHeldUntilGivenBack() {
    Budget budget = new Budget("bytes", 100, HEAP_256M);

    budget.take(60);
    budget.take(40);
    assertEquals(100, budget.held());
    assertEquals(0, budget.free());
    budget.give(60);

    assertEquals(40, budget.held());
    assertEquals(60, budget.free());
  }

  @Test
  void moreThanTheWholeBudgetIsRefusedWithTheBudgetAndTheHeap() {
    Budget budget = new Budget("entries", 129_856, HEAP_256M);

    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> budget.take(3_000_000));

    assertEquals("3000000 entries exceed this node's budget of 129856 for a heap of 253 MiB", refused.getMessage());
    assertEquals(0, budget.held());
  }

  @Test
  void whatDoesNotFitBesideWhatOthersHoldIsRefusedAndTakesNothing() {
    Budget budget = new Budget("bytes", 100, HEAP_256M);
    budget.take(70);

    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> budget.take(31));

    assertEquals("31 bytes do not fit in what is free of this node's budget (30 of 100 for a heap of 253 MiB;"
        + " others hold the rest)", refused.getMessage());
    assertEquals(70, budget.held());
    budget.take(30);
    assertEquals(100, budget.held());
  }

  @Test
  void aNegativeAmountOrGivingBackMoreThanIsHeldIsAnError() {
    Budget budget = new Budget("bytes", 100, HEAP_256M);
    budget.take(10);

    assertThrows(IllegalArgumentException.class, () -> budget.take(-1));
    assertThrows(IllegalStateException.class, () -> budget.give(11));
    assertThrows(IllegalStateException.class, () -> budget.give(-1));
    assertEquals(10, budget.held());
  }

  @Test
  void aBudgetOfNothingIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Budget.ofHeap("entries", 1 << 20, 2, 1 << 20));
  }
}
