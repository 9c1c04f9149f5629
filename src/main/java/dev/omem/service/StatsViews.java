package dev.omem.service;

import dev.omem.domain.Category;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.OmemException;
import dev.omem.domain.SpaceType;
import dev.omem.domain.Tier;
import dev.omem.lifecycle.Decay;
import dev.omem.lifecycle.Tiers;
import dev.omem.store.MemoryRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * ourmem's {@code /v1/stats/{config,tags,decay,relations,spaces,sharing,agents}} views, over the
 * active memories of every space the tenant can read (its personal space and its memberships), as
 * ourmem's server computes them. Field names are ourmem's; values are omem's own settings.
 */
final class StatsViews {
  static final List<String> VIEWS =
      List.of("config", "tags", "decay", "relations", "spaces", "sharing", "agents");

  private final MemoryRepository repo;
  private final SpaceAccess access;
  private final Clock clock;
  private final SpaceStatsViews shares;

  StatsViews(MemoryRepository repo, SpaceAccess access, Spaces spaces, Clock clock) {
    this.repo = repo;
    this.access = access;
    this.clock = clock;
    this.shares = new SpaceStatsViews(repo, access, spaces, clock, this::readable);
  }

  Map<String, Object> view(String tenant, String view, StatsQuery q) {
    StatsQuery p = q == null ? StatsQuery.NONE : q;
    return switch (view == null ? "" : view) {
      case "config" -> config();
      case "tags" ->
          tags(tenant, positive("limit", p.limit(), 20), positive("min_count", p.minCount(), 1));
      case "decay" -> decay(tenant, p.memoryId(), positive("points", p.points(), 90));
      case "relations" -> relations(tenant, positive("limit", p.limit(), 100), p.minImportance());
      case "spaces" -> shares.spaces(tenant);
      case "sharing" -> shares.sharing(tenant, positive("days", p.days(), 30));
      case "agents" -> shares.agents(tenant);
      default ->
          throw OmemException.notFound(
              "no stats view '" + view + "'; use one of " + String.join(", ", VIEWS));
    };
  }

  private static int positive(String name, Integer v, int dflt) {
    return RequestValidator.range(name, v, dflt, 1, 10_000);
  }

  /** The active memories of every space the tenant reads, each with its space's grant. */
  private List<Memory> readable(String tenant) {
    List<Memory> out = new ArrayList<>();
    for (SpaceAccess.Grant g : access.all(tenant)) {
      out.addAll(repo.active(g.partition()));
    }
    return out;
  }

  private Map<String, Object> config() {
    Map<String, Object> tiers = new LinkedHashMap<>();
    for (Tier t : List.of(Tier.CORE, Tier.WORKING, Tier.PERIPHERAL)) {
      tiers.put(t.wire(), Map.of("beta", Decay.beta(t), "floor", Decay.floor(t)));
    }
    Map<String, Object> decay = new LinkedHashMap<>();
    decay.put("half_life_days", (int) Decay.HALF_LIFE_DAYS);
    decay.put("importance_modulation", Decay.IMPORTANCE_MODULATION);
    decay.put("recency_weight", Decay.RECENCY_WEIGHT);
    decay.put("frequency_weight", Decay.FREQUENCY_WEIGHT);
    decay.put("intrinsic_weight", Decay.INTRINSIC_WEIGHT);
    decay.put("tiers", tiers);
    Map<String, Object> promotion = new LinkedHashMap<>();
    promotion.put("peripheral_to_working", Map.of("min_access_count", Tiers.WORKING_ACCESSES));
    promotion.put(
        "working_to_core",
        Map.of("min_access_count", Tiers.CORE_ACCESSES, "min_importance", Tiers.CORE_IMPORTANCE));
    Map<String, Object> weights = new LinkedHashMap<>();
    for (SpaceType t : SpaceType.values()) {
      weights.put(t.wire(), t.searchWeight());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("decay", decay);
    out.put("promotion", promotion);
    out.put(
        "retrieval",
        Map.of(
            "default_min_score",
            Limits.defaultMinScore(),
            "default_limit",
            Limits.DEFAULT_SEARCH_LIMIT));
    out.put("spaces", Map.of("search_weights", weights));
    out.put("categories", wire(Category.values(), Category::wire));
    out.put("tiers", wire(Tier.values(), Tier::wire));
    out.put("memory_types", wire(MemoryType.values(), MemoryType::wire));
    out.put("states", wire(MemoryState.values(), MemoryState::wire));
    out.put("relation_types", List.of("supersedes", "contextualizes", "supports", "contradicts"));
    return out;
  }

  private static <E> List<String> wire(E[] values, Function<E, String> name) {
    return Arrays.stream(values).map(name).toList();
  }

  private Map<String, Object> tags(String tenant, int limit, int minCount) {
    TagCounts counts = TagCounts.of(readable(tenant));
    Map<String, Long> kept = counts.top(Integer.MAX_VALUE, minCount);
    List<Map<String, Object>> tags =
        kept.entrySet().stream()
            .limit(limit)
            .map(e -> Map.<String, Object>of("name", e.getKey(), "count", e.getValue()))
            .toList();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("tags", tags);
    out.put("total_unique_tags", kept.size());
    out.put("total_tag_usages", counts.usages());
    out.put("cross_space_tags", counts.crossSpace());
    return out;
  }

  private Map<String, Object> decay(String tenant, String memoryId, int points) {
    if (memoryId == null || memoryId.isBlank()) {
      throw OmemException.invalid("memory_id is required: the memory whose decay to show");
    }
    String id = RequestValidator.id(memoryId);
    Memory m = null;
    for (SpaceAccess.Grant g : access.all(tenant)) {
      m = repo.find(g.partition(), id).orElse(null);
      if (m != null) {
        break;
      }
    }
    if (m == null) {
      throw OmemException.notFound("no memory with id " + id);
    }
    Instant now = clock.instant();
    Instant last = m.lastAccessedAt() != null ? m.lastAccessedAt() : m.createdAt();
    List<Map<String, Object>> curve = new ArrayList<>();
    for (int day = 0; day < points; day++) {
      // Decay's own recency, as it will be `day` days after the last access.
      double strength = Decay.recency(m, last.plus(Duration.ofDays(day)));
      curve.add(Map.of("day", day, "strength", round(strength)));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("memory_id", m.id());
    out.put("tier", m.tier().wire());
    out.put("importance", m.importance());
    out.put("confidence", m.confidence());
    out.put("access_count", m.accessCount());
    out.put("last_accessed_hours_ago", round(Duration.between(last, now).toMinutes() / 60.0));
    out.put("current_strength", round(Decay.floored(m, now)));
    out.put("composite_score", round(Decay.composite(m, now)));
    out.put("decay_curve", curve);
    return out;
  }

  private Map<String, Object> relations(String tenant, int limit, Double minImportance) {
    double min = minImportance == null ? 0 : minImportance;
    List<Memory> ms = readable(tenant).stream().filter(m -> m.importance() >= min).toList();
    Map<String, Memory> byId = new LinkedHashMap<>();
    ms.forEach(m -> byId.put(m.id(), m));
    Set<String> linked = new HashSet<>();
    List<Map<String, Object>> edges = new ArrayList<>();
    for (Memory m : ms) {
      m.relations()
          .forEach(
              (kind, targets) -> {
                for (String t : targets) {
                  edges.add(edge(m.id(), t, kind, m.spaceId(), byId.get(t)));
                  linked.add(m.id());
                  linked.add(t);
                }
              });
      if (m.supersededBy() != null) {
        edges.add(
            edge(m.supersededBy(), m.id(), "supersedes", m.spaceId(), byId.get(m.supersededBy())));
        linked.add(m.id());
        linked.add(m.supersededBy());
      }
      Object from = m.provenance().get("shared_from_memory");
      if (from != null) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("source", from.toString());
        e.put("target", m.id());
        e.put("relation_type", "shared_from");
        e.put("context_label", m.provenance().get("shared_from_space") + " → " + m.spaceId());
        e.put("cross_space", true);
        edges.add(e);
        linked.add(m.id());
        linked.add(from.toString());
      }
    }
    List<Map<String, Object>> nodes =
        ms.stream()
            .filter(m -> linked.contains(m.id()))
            .limit(limit)
            .map(
                m -> {
                  Map<String, Object> n = new LinkedHashMap<>();
                  n.put("id", m.id());
                  n.put("label", dev.omem.domain.MemoryLayers.abstractOf(m.content()));
                  n.put("category", m.category().wire());
                  n.put("tier", m.tier().wire());
                  n.put("importance", m.importance());
                  n.put("access_count", m.accessCount());
                  n.put("memory_type", m.memoryType().wire());
                  n.put("space_id", m.spaceId());
                  return n;
                })
            .toList();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("nodes", nodes);
    out.put("edges", edges);
    out.put("total_nodes", nodes.size());
    out.put("total_edges", edges.size());
    return out;
  }

  private static Map<String, Object> edge(
      String source, String target, String kind, String space, Memory targetMemory) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("source", source);
    e.put("target", target);
    e.put("relation_type", kind);
    e.put("context_label", null);
    e.put("cross_space", targetMemory != null && !space.equals(targetMemory.spaceId()));
    return e;
  }

  static boolean isCopy(Memory m) {
    return m.provenance().containsKey("shared_from_memory");
  }

  /** When the newest of {@code ms} was created; null for none. */
  static String latest(List<Memory> ms) {
    return ms.stream()
        .map(Memory::createdAt)
        .max(Comparator.naturalOrder())
        .map(Instant::toString)
        .orElse(null);
  }

  /** ourmem's owner_agent_id: "" for a memory no agent wrote. */
  static String agent(Memory m) {
    return m.agentId() == null ? "" : m.agentId();
  }

  static Map<String, Long> count(List<Memory> ms, Function<Memory, String> key) {
    Map<String, Long> out = new TreeMap<>();
    ms.forEach(m -> out.merge(String.valueOf(key.apply(m)), 1L, Long::sum));
    return out;
  }

  static List<Map<String, Object>> top(Map<String, Long> counts, String name, int n) {
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(n)
        .map(e -> Map.<String, Object>of(name, e.getKey(), "count", e.getValue()))
        .toList();
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
