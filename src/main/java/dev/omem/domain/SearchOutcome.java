package dev.omem.domain;

import java.util.List;

/**
 * The ranked results of a search and the trace of how they were found.
 *
 * @param reason why nothing was returned, in one line (null when there are results): for example,
 *     that no memory reached the relevance floor
 */
public record SearchOutcome(List<ScoredMemory> results, SearchTrace trace, String reason) {
  public SearchOutcome(List<ScoredMemory> results, SearchTrace trace) {
    this(results, trace, null);
  }
}
