package dev.omem.service;

import dev.omem.store.MemoryStatistics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** ourmem's stats object for one tenant (deleted memories count only under {@code by_state}). */
final class StatsBuilder {
  /** The timeline covers the last 30 days, one entry per day with memories created. */
  private static final Duration TIMELINE = Duration.ofDays(30);

  private final MemoryStatistics repo;
  private final Clock clock;

  StatsBuilder(MemoryStatistics repo, Clock clock) {
    this.repo = repo;
    this.clock = clock;
  }

  Map<String, Object> build(String tenant) {
    Map<String, Object> s = new LinkedHashMap<>();
    Map<String, Long> byState = repo.countBy(tenant, MemoryStatistics.Field.STATE, true);
    s.put(
        "total",
        byState.entrySet().stream()
            .filter(e -> !e.getKey().equals("deleted"))
            .mapToLong(Map.Entry::getValue)
            .sum());
    s.put("by_type", repo.countBy(tenant, MemoryStatistics.Field.MEMORY_TYPE, false));
    s.put("by_category", repo.countBy(tenant, MemoryStatistics.Field.CATEGORY, false));
    s.put("by_tier", repo.countBy(tenant, MemoryStatistics.Field.TIER, false));
    s.put("by_state", byState);
    s.put("by_space", repo.countBy(tenant, MemoryStatistics.Field.SPACE_ID, false));
    s.put("by_agent", repo.countBy(tenant, MemoryStatistics.Field.AGENT_ID, false));
    s.put("by_scope", repo.countBy(tenant, MemoryStatistics.Field.SCOPE, false));
    List<Map<String, Object>> timeline = new ArrayList<>();
    repo.createdPerDay(tenant, clock.instant().minus(TIMELINE))
        .forEach((date, count) -> timeline.add(Map.of("date", date, "count", count)));
    s.put("timeline", timeline);
    s.put(
        "avg_importance", round(repo.aggregate(tenant, MemoryStatistics.Aggregate.AVG_IMPORTANCE)));
    s.put(
        "avg_confidence", round(repo.aggregate(tenant, MemoryStatistics.Aggregate.AVG_CONFIDENCE)));
    s.put(
        "total_access_count",
        (long) repo.aggregate(tenant, MemoryStatistics.Aggregate.SUM_ACCESS_COUNT));
    return s;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
