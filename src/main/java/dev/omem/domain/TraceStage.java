package dev.omem.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What one pipeline stage did, as ourmem's trace reports it; bound by Jackson both ways.
 *
 * @param scoreRange lowest and highest score among the stage's output (empty output: 0, 0; a server
 *     that sends one number or none: that number twice, or 0, 0)
 * @param note why a stage was skipped or what it decided, or null (then not written)
 */
public record TraceStage(
    @JsonProperty("name") String name,
    @JsonProperty("input_count") int inputCount,
    @JsonProperty("output_count") int outputCount,
    @JsonProperty("duration_ms") double durationMs,
    @JsonProperty("score_range") double[] scoreRange,
    @JsonProperty("note") @JsonInclude(JsonInclude.Include.NON_NULL) String note) {

  public TraceStage {
    if (scoreRange == null || scoreRange.length == 0) {
      scoreRange = new double[] {0, 0};
    } else if (scoreRange.length == 1) {
      scoreRange = new double[] {scoreRange[0], scoreRange[0]};
    }
  }
}
