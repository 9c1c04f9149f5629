package dev.omem.domain;

/** A memory with its score from the pipeline, in [0, 1] (1 = first in every retriever). */
public record ScoredMemory(Memory memory, double score) {}
