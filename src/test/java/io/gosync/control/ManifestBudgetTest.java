package io.gosync.control;

import io.gosync.budget.Budget;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How target parts share a node's manifest budget: by the entries each announces, bytes in proportion. */
class ManifestBudgetTest {

  private static final long HEAP_256M = 265_945_088L;

  private final ManifestBudget budget = ManifestBudget.ofHeap(HEAP_256M);

  @Test
  void aShareIsTheAnnouncedEntriesAndTheirPartOfTheBytes() {
    ManifestBudget.Share share = budget.reserve(100_000);

    assertEquals(100_000, share.entries());
    assertEquals(25_600_000, share.bytes(), "256 bytes an entry at this heap");
    assertEquals(29_856, budget.freeEntries());
  }

  @Test
  void aSmallManifestMayStillDecodeToAFewLongPaths() {
    assertEquals(ManifestBudget.MIN_BYTES, budget.reserve(1).bytes());
  }

  @Test
  void threeMillionEntriesAreRefusedWithTheBudgetAndTheHeap() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> budget.reserve(3_000_000));

    assertEquals("manifest: 3000000 entries exceed this node's budget of 129856 for a heap of 253 MiB",
        refused.getMessage());
    assertEquals(129_856, budget.freeEntries());
  }

  @Test
  void tasksAtOnceShareTheBudgetAndGetItBackWhenTheyClose() {
    ManifestBudget.Share first = budget.reserve(80_000);

    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> budget.reserve(60_000));
    assertTrue(refused.getMessage().startsWith("manifest: 60000 entries do not fit in what is free of this node's"
        + " budget (49856 of 129856"), refused.getMessage());
    ManifestBudget.Share second = budget.reserve(49_856);
    budget.release(first);
    budget.release(second);

    assertEquals(129_856, budget.freeEntries());
    assertEquals(HEAP_256M / 8, budget.freeBytes());
  }

  @Test
  void whenTheBytesDoNotFitTheEntriesAreGivenBackToo() {
    ManifestBudget tight = new ManifestBudget(new Budget("entries", 1000, HEAP_256M),
        new Budget("decoded bytes", ManifestBudget.MIN_BYTES + 10, HEAP_256M));
    tight.reserve(1);

    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> tight.reserve(1));

    assertTrue(refused.getMessage().startsWith("manifest of 1 entries: 65536 decoded bytes do not fit"), refused.getMessage());
    assertEquals(999, tight.freeEntries());
  }

  @Test
  void aPrepareThatDoesNotAnnounceItsEntriesIsRefused() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> budget.reserve(0));

    assertTrue(refused.getMessage().startsWith("manifest.entries:"), refused.getMessage());
    assertEquals(129_856, budget.freeEntries());
  }
}
