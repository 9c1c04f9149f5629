package dev.omem.service;

import java.util.Locale;

/**
 * The one line a search answers with when it returns nothing, so nobody mistakes it for a fault.
 */
final class SearchReasons {
  private SearchReasons() {}

  static String empty(double minScore) {
    if (minScore > 0) {
      return String.format(
          Locale.ROOT,
          "Nothing relevant: no stored memory reached relevance %.2f (min_score). Search with"
              + " other words, or with min_score 0 for the closest matches however unrelated.",
          minScore);
    }
    return "No memories found: nothing stored in the searched scopes and spaces matches the filters.";
  }
}
