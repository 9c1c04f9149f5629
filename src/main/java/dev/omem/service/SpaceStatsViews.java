package dev.omem.service;

import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryLayers;
import dev.omem.domain.MemoryState;
import dev.omem.domain.Space;
import dev.omem.domain.SpaceType;
import dev.omem.store.ListSort;
import dev.omem.store.MemoryRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * ourmem's stats views about spaces and who shares: {@code spaces}, {@code sharing} and {@code
 * agents} ({@link StatsViews} dispatches; its helpers are shared).
 */
final class SpaceStatsViews {
  private final MemoryRepository repo;
  private final SpaceAccess access;
  private final Spaces spaces;
  private final Clock clock;
  private final Function<String, List<Memory>> readable;

  SpaceStatsViews(
      MemoryRepository repo,
      SpaceAccess access,
      Spaces spaces,
      Clock clock,
      Function<String, List<Memory>> readable) {
    this.repo = repo;
    this.access = access;
    this.spaces = spaces;
    this.clock = clock;
    this.readable = readable;
  }

  Map<String, Object> spaces(String tenant) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Space s : spaces.list(tenant)) {
      List<Memory> ms = repo.active(SpaceAccess.partitionOf(s.id()));
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("space_id", s.id());
      j.put("space_type", s.type().wire());
      j.put("name", s.name());
      j.put("memory_count", ms.size());
      j.put("agent_count", ms.stream().map(StatsViews::agent).distinct().count());
      j.put("tier_distribution", StatsViews.count(ms, m -> m.tier().wire()));
      j.put(
          "top_categories",
          StatsViews.top(StatsViews.count(ms, m -> m.category().wire()), "category", 3));
      j.put("last_activity", StatsViews.latest(ms));
      j.put("shared_in_count", ms.stream().filter(StatsViews::isCopy).count());
      j.put("member_count", s.members().size());
      j.put(
          "members",
          s.members().stream()
              .map(m -> Map.of("user_id", m.userId(), "role", m.role().wire()))
              .toList());
      out.add(j);
    }
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("spaces", out);
    j.put("total_spaces", out.size());
    return j;
  }

  /**
   * Shares seen from the copies the tenant can read: each copy is one share from its source's space
   * into its own, a copy in a personal space one pull, a deleted copy one unshare. omem keeps no
   * separate event log: the copies and their provenance are the record.
   */
  Map<String, Object> sharing(String tenant, int days) {
    Instant since = clock.instant().minus(Duration.ofDays(days));
    List<Memory> copies = new ArrayList<>();
    int unshares = 0;
    for (SpaceAccess.Grant g : access.all(tenant)) {
      for (Memory m :
          repo.list(
                  MemoryFilter.builder(g.partition())
                      .states(Set.of(MemoryState.ACTIVE, MemoryState.ARCHIVED, MemoryState.DELETED))
                      .createdAfter(since)
                      .build(),
                  ListSort.CREATED_AT,
                  false,
                  Integer.MAX_VALUE,
                  0)
              .memories()) {
        if (!StatsViews.isCopy(m)) {
          continue;
        }
        if (m.state() == MemoryState.DELETED) {
          unshares++;
        } else {
          copies.add(m);
        }
      }
    }
    long pulls =
        copies.stream().filter(m -> SpaceType.ofId(m.spaceId()) == SpaceType.PERSONAL).count();
    Map<String, Long> flows = new TreeMap<>();
    Map<String, long[]> daily = new TreeMap<>(Comparator.reverseOrder());
    Set<Object> sharers = new HashSet<>();
    List<Map<String, Object>> recent = new ArrayList<>();
    for (Memory m : copies) {
      String from = String.valueOf(m.provenance().get("shared_from_space"));
      boolean pull = SpaceType.ofId(m.spaceId()) == SpaceType.PERSONAL;
      if (!pull) {
        flows.merge(from + "\n" + m.spaceId(), 1L, Long::sum);
        sharers.add(m.provenance().get("shared_by_user"));
      }
      daily
          .computeIfAbsent(m.createdAt().toString().substring(0, 10), k -> new long[2])[
          pull ? 1 : 0]++;
      if (recent.size() < 20) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("action", pull ? "pull" : "share");
        e.put("memory_id", m.id());
        e.put("from_space", from);
        e.put("to_space", m.spaceId());
        e.put("user_id", m.provenance().get("shared_by_user"));
        e.put("agent_id", m.provenance().get("shared_by_agent"));
        e.put("content_preview", MemoryLayers.abstractOf(m.content()));
        e.put("timestamp", m.createdAt().toString());
        recent.add(e);
      }
    }
    Set<String> nodes = new TreeSet<>();
    List<Map<String, Object>> edges = new ArrayList<>();
    flows.forEach(
        (k, n) -> {
          String[] ft = k.split("\n", 2);
          nodes.add(ft[0]);
          nodes.add(ft[1]);
          edges.add(Map.of("from", ft[0], "to", ft[1], "count", n));
        });
    List<Map<String, Object>> timeline = new ArrayList<>();
    daily.forEach((d, c) -> timeline.add(Map.of("date", d, "shares", c[0], "pulls", c[1])));
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("total_shares", copies.size() - pulls);
    summary.put("total_pulls", pulls);
    summary.put("total_unshares", unshares);
    summary.put("unique_sharers", sharers.size());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("summary", summary);
    out.put("recent_activity", recent);
    out.put("flow_graph", Map.of("nodes", List.copyOf(nodes), "edges", edges));
    out.put("timeline", timeline);
    return out;
  }

  Map<String, Object> agents(String tenant) {
    Map<String, List<Memory>> byAgent = new TreeMap<>();
    // An agent's shares: the copies (in any space the tenant reads) whose provenance names it.
    Map<String, Long> sharedBy = new TreeMap<>();
    for (Memory m : readable.apply(tenant)) {
      byAgent.computeIfAbsent(StatsViews.agent(m), k -> new ArrayList<>()).add(m);
      if (StatsViews.isCopy(m)) {
        Object by = m.provenance().get("shared_by_agent");
        sharedBy.merge(by == null ? "" : by.toString(), 1L, Long::sum);
      }
    }
    List<Map<String, Object>> agents = new ArrayList<>();
    byAgent.forEach(
        (agent, ms) -> {
          Map<String, Object> j = new LinkedHashMap<>();
          j.put("agent_id", agent);
          j.put("total_memories", ms.size());
          j.put("memories_by_space", StatsViews.count(ms, Memory::spaceId));
          j.put(
              "top_categories",
              StatsViews.top(StatsViews.count(ms, m -> m.category().wire()), "category", 3));
          j.put("last_active", StatsViews.latest(ms));
          j.put("share_count", sharedBy.getOrDefault(agent, 0L));
          agents.add(j);
        });
    agents.sort(
        Comparator.comparing((Map<String, Object> j) -> (Integer) j.get("total_memories"))
            .reversed());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("agents", agents);
    out.put("total_agents", agents.size());
    return out;
  }
}
