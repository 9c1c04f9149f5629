package dev.omem.domain;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A memory with its score from the pipeline, in [0, 1] (1 = first in every retriever); bound by
 * Jackson as ourmem's search result {@code {memory, score}}.
 */
public record ScoredMemory(
    @JsonProperty(ScoredMemory.MEMORY) Memory memory, @JsonProperty("score") double score) {
  /** Taken out again where a face flattens a result ({@link MemoryJson#result}). */
  static final String MEMORY = "memory";
}
