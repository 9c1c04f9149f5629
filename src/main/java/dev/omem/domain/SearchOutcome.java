package dev.omem.domain;

import java.util.List;

/** The ranked results of a search and the trace of how they were found. */
public record SearchOutcome(List<ScoredMemory> results, SearchTrace trace) {}
