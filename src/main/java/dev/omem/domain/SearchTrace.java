package dev.omem.domain;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The per-stage record of one search, bound by Jackson as ourmem's trace JSON.
 *
 * @param mode {@code hybrid}, or {@code bm25} while the embedding model is still loading
 */
public record SearchTrace(
    @JsonProperty("stages") List<TraceStage> stages,
    @JsonProperty("total_duration_ms") double totalDurationMs,
    @JsonProperty(SearchTrace.FINAL_COUNT) int finalCount,
    @JsonProperty("mode") String mode) {
  /** Read back as the last stage's output count when a server leaves it out. */
  static final String FINAL_COUNT = "final_count";

  public SearchTrace {
    stages = stages == null ? List.of() : stages;
  }
}
