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
 * @param rerank what the optional reranking did (omem's extension, issue 13): null when it is off
 * @param candidates the closest memories whatever their score, for a caller that reranks them
 *     itself (asked with {@code candidates}, omem's extension): null when not asked
 */
public record SearchOutcome(
    @JsonProperty(value = SearchOutcome.RESULTS, index = 0) List<ScoredMemory> results,
    @JsonProperty(value = SearchOutcome.TRACE, index = 2) @JsonInclude(JsonInclude.Include.NON_NULL)
        SearchTrace trace,
    // omem's extension: why nothing was returned
    @JsonProperty(value = "reason", index = 1) @JsonInclude(JsonInclude.Include.NON_NULL)
        String reason,
    @JsonProperty(value = "rerank", index = 3) @JsonInclude(JsonInclude.Include.NON_NULL)
        Rerank rerank,
    @JsonProperty(value = "candidates", index = 4) @JsonInclude(JsonInclude.Include.NON_NULL)
        List<ScoredMemory> candidates) {
  static final String RESULTS = "results";

  /** Read again by {@link MemoryJsonReader#trace}, which knows ourmem's defaults. */
  static final String TRACE = "trace";

  public SearchOutcome {
    results = results == null ? List.of() : results;
  }

  /** This outcome with {@code rerank} said of it, without its candidates. */
  public SearchOutcome withRerank(Rerank rerank) {
    return new SearchOutcome(results, trace, reason, rerank, null);
  }

  /**
   * What a reranking by a language model did to a search.
   *
   * @param by who was asked: {@code llm} (omem's configured LLM) or {@code sampling} (the MCP
   *     client's model)
   * @param applied true when the model's answer decided the results and their order; false when it
   *     gave none in time or a malformed one, and the results are the LLM-free search's, whole
   * @param note one line: how many candidates the model kept, or why it was not used
   */
  public record Rerank(
      @JsonProperty("by") String by,
      @JsonProperty("applied") boolean applied,
      @JsonProperty("note") String note) {}
}
