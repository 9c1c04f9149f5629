package dev.omem.retrieve;

import dev.omem.domain.MemoryFilter;

/**
 * One search.
 *
 * @param filter which memories may be returned (tenant, scopes, tags, states, time range)
 * @param homeScope the caller's project scope, ranked above other scopes; null if unknown
 * @param minScore results scoring below this (after normalisation) are dropped
 */
public record SearchQuery(
    String text, MemoryFilter filter, int limit, double minScore, String homeScope) {}
