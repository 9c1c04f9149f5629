package dev.omem.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The ranked results of a search and the trace of how they were found; bound by Jackson as ourmem's
 * search answer {@code {results: [{memory, score}], reason?, trace?}}.
 *
 * @param reason why nothing was returned, in one line (null when there are results): for example,
 *     that no memory reached the relevance floor
 */
public record SearchOutcome(
    @JsonProperty(value = SearchOutcome.RESULTS, index = 0) List<ScoredMemory> results,
    @JsonProperty(value = SearchOutcome.TRACE, index = 2) @JsonInclude(JsonInclude.Include.NON_NULL)
        SearchTrace trace,
    // omem's extension: why nothing was returned
    @JsonProperty(value = "reason", index = 1) @JsonInclude(JsonInclude.Include.NON_NULL)
        String reason) {
  static final String RESULTS = "results";

  /** Read again by {@link MemoryJsonReader#trace}, which knows ourmem's defaults. */
  static final String TRACE = "trace";

  public SearchOutcome {
    results = results == null ? List.of() : results;
  }

  public SearchOutcome(List<ScoredMemory> results, SearchTrace trace) {
    this(results, trace, null);
  }
}
