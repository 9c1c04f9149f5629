package dev.omem.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one-line reason of an empty search quotes the floor the search used. */
class SearchReasonsTest {
  @Test
  void theReasonQuotesTheFloorUsedNotTheShippedOne() {
    // The search gate's floor for a query: t_p 0.01 times its gate factor 0.43. Session 19's
    // text quoted the shipped floor 0.27 here, and "%.2f" would have read 0.00.
    String gate = SearchReasons.empty(0.0043, true);
    assertTrue(gate.contains("reached relevance 0.0043 (this query's default min_score)"), gate);
    assertFalse(gate.contains("0.27"), gate);
    assertFalse(gate.contains("\n"));
    assertEquals(
        "Nothing relevant: no stored memory reached relevance 0.5 (min_score). Search with other"
            + " words, or with min_score 0 for the closest matches however unrelated.",
        SearchReasons.empty(0.5, false));
    assertTrue(SearchReasons.empty(0.27, true).contains(" 0.27 "));
    assertTrue(SearchReasons.empty(0, false).startsWith("No memories found: "));
  }
}
