package dev.omem.retrieve;

import dev.omem.domain.MemoryFilter;

/**
 * One search.
 *
 * @param filter which memories may be returned (tenant, scopes, tags, states, time range)
 * @param homeScope the caller's project scope, ranked above other scopes; null if unknown
 * @param minScore results scoring below this (after normalisation) are dropped
 * @param ownFloor the caller named no {@code min_score}: with vectors, {@link SearchGate} decides
 *     in place of {@code minScore} (which still applies without vectors)
 */
public record SearchQuery(
    String text,
    MemoryFilter filter,
    int limit,
    double minScore,
    String homeScope,
    boolean ownFloor) {

  /** A search with an explicit {@code minScore}. */
  public SearchQuery(
      String text, MemoryFilter filter, int limit, double minScore, String homeScope) {
    this(text, filter, limit, minScore, homeScope, false);
  }
}
