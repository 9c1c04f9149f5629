package dev.omem.domain;

/**
 * What one pipeline stage did, as ourmem's trace reports it.
 *
 * @param scoreRange lowest and highest score among the stage's output (empty output: 0, 0)
 * @param note why a stage was skipped or what it decided, or null
 */
public record TraceStage(
    String name,
    int inputCount,
    int outputCount,
    double durationMs,
    double[] scoreRange,
    String note) {}
