package dev.omem.service;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The one line a search answers with when it returns nothing, so nobody mistakes it for a fault.
 */
final class SearchReasons {
  private SearchReasons() {}

  /**
   * Why nothing was returned, quoting {@code floor}, the score the results had to reach (the
   * search's own, {@code RetrievalPipeline.Ranked#floor}); {@code byDefault} when the caller named
   * no {@code min_score}, so the floor is the search's default for this query (session 20: it
   * quoted the shipped floor 0.27 when the search gate's floor, far lower, was the one used).
   */
  static String empty(double floor, boolean byDefault) {
    if (floor > 0) {
      return "Nothing relevant: no stored memory reached relevance "
          + twoDigits(floor)
          + (byDefault ? " (this query's default min_score)" : " (min_score)")
          + ". Search with other words, or with min_score 0 for the closest matches however"
          + " unrelated.";
    }
    return "No memories found: nothing stored in the searched scopes and spaces matches the filters.";
  }

  /** Two significant digits, so a floor under 0.01 does not read as 0.00. */
  private static String twoDigits(double v) {
    return new BigDecimal(v).round(new MathContext(2)).stripTrailingZeros().toPlainString();
  }
}
