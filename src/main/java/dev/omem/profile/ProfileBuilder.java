package dev.omem.profile;

import dev.omem.domain.Category;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryState;
import dev.omem.domain.Profile;
import dev.omem.store.ContentHash;
import dev.omem.store.ListSort;
import dev.omem.store.MemoryRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the user's profile as ourmem does: static facts are the most important active profile and
 * preference memories; dynamic context is the events, cases and patterns of the last days.
 */
public final class ProfileBuilder {
  /** ourmem's sizes: 20 static facts, 10 recent items from the last 7 days. */
  private static final int STATIC_FACTS = 20;

  private static final int DYNAMIC_ITEMS = 10;
  private static final Duration RECENT = Duration.ofDays(7);

  private final MemoryRepository repo;
  private final Clock clock;

  public ProfileBuilder(MemoryRepository repo, Clock clock) {
    this.repo = repo;
    this.clock = clock;
  }

  public Profile build(String tenantId, Set<String> scopes) {
    MemoryFilter stable =
        new MemoryFilter(
            tenantId,
            scopes,
            null,
            Set.of(Category.PROFILE, Category.PREFERENCES),
            Set.of(MemoryState.ACTIVE),
            null,
            null,
            null,
            null,
            null);
    Instant since = clock.instant().minus(RECENT);
    MemoryFilter recent =
        new MemoryFilter(
            tenantId,
            scopes,
            null,
            Set.of(Category.EVENTS, Category.CASES, Category.PATTERNS),
            Set.of(MemoryState.ACTIVE),
            null,
            null,
            null,
            since,
            null);
    // Fetch a few extra so that duplicates removed still leave a full list.
    List<Memory> facts =
        repo.list(stable, ListSort.IMPORTANCE, false, STATIC_FACTS * 2, 0).memories();
    List<Memory> context =
        repo.list(recent, ListSort.CREATED_AT, false, DYNAMIC_ITEMS * 2, 0).memories();
    return new Profile(distinct(facts, STATIC_FACTS), distinct(context, DYNAMIC_ITEMS));
  }

  private static List<String> distinct(List<Memory> memories, int max) {
    Set<String> seen = new HashSet<>();
    List<String> out = new ArrayList<>();
    for (Memory m : memories) {
      if (out.size() < max && seen.add(ContentHash.of(m.content()))) {
        out.add(m.content());
      }
    }
    return out;
  }
}
