package dev.omem.domain;

import java.util.List;

/**
 * The per-stage record of one search.
 *
 * @param mode {@code hybrid}, or {@code bm25} while the embedding model is still loading
 */
public record SearchTrace(
    List<TraceStage> stages, double totalDurationMs, int finalCount, String mode) {}
