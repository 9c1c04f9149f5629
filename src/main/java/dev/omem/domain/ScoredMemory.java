package dev.omem.domain;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A memory with its score from the pipeline, in [0, 1] (1 = first in every retriever); bound by
 * Jackson as ourmem's search result {@code {memory, score}}.
 */
public record ScoredMemory(
    @JsonProperty("memory") Memory memory, @JsonProperty("score") double score) {}
