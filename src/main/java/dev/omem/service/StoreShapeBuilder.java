package dev.omem.service;

import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.lifecycle.Decay;
import dev.omem.lifecycle.Tiers;
import dev.omem.store.ListSort;
import dev.omem.store.MemoryRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link StoreShape} from one read of the tenant's active memories (a stats page, not a
 * hot path: 10,000 memories are read and scored in well under a second).
 */
final class StoreShapeBuilder {
  /** Days ahead the curve shows: a week, a month, a quarter, half a year, a year. */
  static final int[] HORIZONS = {0, 7, 30, 90, 180, 365};

  /** Enough tags for one chart. */
  static final int TOP_TAGS = 15;

  private final MemoryRepository repo;
  private final Clock clock;

  StoreShapeBuilder(MemoryRepository repo, Clock clock) {
    this.repo = repo;
    this.clock = clock;
  }

  StoreShape build(String tenant) {
    List<Memory> active =
        repo.list(MemoryFilter.activeOf(tenant), ListSort.CREATED_AT, true, Integer.MAX_VALUE, 0)
            .memories();
    Map<String, Long> top = TagCounts.of(active).top(TOP_TAGS, 1);
    Instant now = clock.instant();
    List<StoreShape.DecayPoint> curve = new ArrayList<>();
    for (int days : HORIZONS) {
      Instant at = now.plus(Duration.ofDays(days));
      double sum = 0;
      long demoted = 0;
      for (Memory m : active) {
        sum += Decay.composite(m, at);
        if (Tiers.next(m, at).ordinal() > m.tier().ordinal()) {
          demoted++;
        }
      }
      curve.add(
          new StoreShape.DecayPoint(days, active.isEmpty() ? 0 : sum / active.size(), demoted));
    }
    return new StoreShape(top, curve);
  }
}
