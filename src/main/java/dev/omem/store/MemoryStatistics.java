package dev.omem.store;

import java.time.Instant;
import java.util.Map;

/** Counts and aggregates over a tenant's memories ({@code GET /v1/stats}). */
public interface MemoryStatistics {
  /** A field memories are counted by. */
  enum Field {
    STATE,
    MEMORY_TYPE,
    CATEGORY,
    TIER,
    SPACE_ID,
    AGENT_ID,
    SCOPE
  }

  /** A single number over the tenant's memories that are not deleted. */
  enum Aggregate {
    AVG_IMPORTANCE,
    AVG_CONFIDENCE,
    SUM_ACCESS_COUNT
  }

  /** Every memory of every tenant. */
  long countAll();

  /**
   * The tenant's memories counted by {@code field} (a missing value as "unknown"), most first;
   * deleted ones only when {@code includeDeleted}.
   */
  Map<String, Long> countBy(String tenantId, Field field, boolean includeDeleted);

  /** {@code aggregate} over the tenant's memories that are not deleted; 0 when there are none. */
  double aggregate(String tenantId, Aggregate aggregate);

  /** Memories created per UTC day since {@code since}, oldest day first ("2026-11-22" keys). */
  Map<String, Long> createdPerDay(String tenantId, Instant since);
}
