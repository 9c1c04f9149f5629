package dev.omem.service;

import dev.omem.domain.Category;
import dev.omem.domain.HistoryEntry;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryPage;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.OmemException;
import dev.omem.domain.Profile;
import dev.omem.domain.Scope;
import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchOutcome;
import dev.omem.profile.ProfileBuilder;
import dev.omem.retrieve.RetrievalPipeline;
import dev.omem.retrieve.SearchQuery;
import dev.omem.store.HistoryRepository;
import dev.omem.store.ListSort;
import dev.omem.store.MemoryRepository;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The local service's reads, each for the partition {@code tenant} that the caller acts as: search
 * over the readable spaces, list, a memory by id (in any readable space), its history, the profile
 * and the stats. Requests are validated here; nothing here writes, except the access counts a
 * search queues.
 */
final class MemoryQueries {
  private final MemoryRepository repo;
  private final HistoryRepository history;
  private final SpaceAccess access;
  private final RetrievalPipeline pipeline;
  private final AccessCounter accesses;
  private final Clock clock;
  private final SuccessorLead successors;

  MemoryQueries(
      MemoryRepository repo,
      HistoryRepository history,
      SpaceAccess access,
      RetrievalPipeline pipeline,
      AccessCounter accesses,
      Clock clock,
      SuccessorLead successors) {
    this.successors = successors;
    this.repo = repo;
    this.history = history;
    this.access = access;
    this.pipeline = pipeline;
    this.accesses = accesses;
    this.clock = clock;
  }

  SearchOutcome search(String tenant, Caller caller, SearchRequest r) {
    String q = RequestValidator.query(r.query());
    int limit =
        RequestValidator.range(
            "limit", r.limit(), Limits.DEFAULT_SEARCH_LIMIT, 1, Limits.MAX_SEARCH_LIMIT);
    double minScore = RequestValidator.unit("min_score", r.minScore(), Limits.defaultMinScore());
    Set<Category> categories = new HashSet<>();
    if (r.categories() != null) {
      r.categories().forEach(c -> categories.add(RequestValidator.category(c)));
    }
    Set<MemoryState> states = new HashSet<>();
    if (r.states() != null) {
      r.states().forEach(s -> states.add(RequestValidator.state(s)));
    }
    if (r.after() != null && r.before() != null && !r.after().isBefore(r.before())) {
      throw OmemException.invalid("after must be earlier than before");
    }
    MemoryFilter f =
        MemoryFilter.builder(tenant)
            .scopes(ScopeRules.readScopes(r.scope(), caller.project()))
            .tags(RequestValidator.tags(r.tags()))
            .categories(categories)
            .states(states)
            .source(RequestValidator.optionalText("source", r.source()))
            .agentId(RequestValidator.optionalText("agent_id", r.agentId()))
            .createdAfter(r.after())
            .createdBefore(r.before())
            .build();
    String home = caller.project() == null ? null : Scope.project(caller.project());
    int pool = RequestValidator.range("candidates", r.candidates(), 0, 0, Limits.MAX_SEARCH_LIMIT);
    List<SpaceAccess.Grant> grants = access.readable(tenant, r.spaces());
    RetrievalPipeline.Pooled ranked =
        CrossSpaceSearch.run(
            grants,
            spaces ->
                pipeline.rankedWithPool(
                    new SearchQuery(q, f, limit, minScore, home, r.minScore() == null),
                    spaces,
                    pool));
    List<ScoredMemory> results = led(q, f, states, ranked.plain(), limit);
    // Why the search gate (SearchGate) answered nothing, when it did not.
    String gateReason = ranked.plain().outcome().reason();
    if (r.countAccess()) {
      accesses.countTop(results);
    }
    String reason =
        !results.isEmpty()
            ? null
            : gateReason != null
                ? gateReason
                : SearchReasons.empty(ranked.plain().floor(), r.minScore() == null);
    return new SearchOutcome(
        results,
        r.includeTrace() ? ranked.plain().outcome().trace() : null,
        reason,
        null,
        ranked.pool() == null ? null : led(q, f, states, ranked.pool(), pool));
  }

  /**
   * The ranking's results; with current memories only, what replaced a superseded memory the query
   * names leads.
   */
  private List<ScoredMemory> led(
      String q,
      MemoryFilter f,
      Set<MemoryState> states,
      RetrievalPipeline.Ranked ranked,
      int limit) {
    List<ScoredMemory> results = ranked.outcome().results();
    return states.isEmpty()
        ? successors.lead(q, f, results, limit, ranked.queryVector(), ranked.firstVector())
        : results;
  }

  /** The searches that looked in the index for a superseded memory (the tests read it). */
  long successorLookUps() {
    return successors.lookUps();
  }

  /** The memory {@code id} in any space {@code tenant} can read; NOT_FOUND for the others. */
  Memory find(String tenant, String id) {
    for (SpaceAccess.Grant g : access.all(tenant)) {
      Optional<Memory> m = repo.find(g.partition(), id);
      if (m.isPresent()) {
        return m.get();
      }
    }
    throw OmemException.notFound("no memory with id " + id);
  }

  /** {@link #find}, and FORBIDDEN when {@code tenant}'s role there does not let it write. */
  Memory findWritable(String tenant, String id) {
    Memory m = find(tenant, id);
    access.ofPartition(tenant, m.tenantId()).requireWrite();
    return m;
  }

  List<HistoryEntry> history(String tenant, String rawId) {
    Memory m = find(tenant, RequestValidator.id(rawId));
    return history.of(m.tenantId(), m.id());
  }

  MemoryPage list(String tenant, Caller caller, ListRequest r) {
    int limit =
        RequestValidator.range(
            "limit", r.limit(), Limits.DEFAULT_LIST_LIMIT, 1, Limits.MAX_LIST_LIMIT);
    int offset = RequestValidator.range("offset", r.offset(), 0, 0, Integer.MAX_VALUE);
    Set<MemoryState> states =
        r.state() == null
            ? Set.of(MemoryState.ACTIVE, MemoryState.ARCHIVED)
            : Set.of(RequestValidator.state(r.state()));
    Set<Category> categories =
        r.category() == null ? Set.of() : Set.of(RequestValidator.category(r.category()));
    MemoryType type = r.memoryType() == null ? null : RequestValidator.memoryType(r.memoryType());
    ListSort sort =
        r.sort() == null
            ? ListSort.CREATED_AT
            : ListSort.parse(r.sort())
                .orElseThrow(
                    () ->
                        OmemException.invalid(
                            "unknown sort '"
                                + r.sort()
                                + "'; use created_at, updated_at, importance or access_count"));
    boolean asc;
    if (r.order() == null || r.order().equalsIgnoreCase("desc")) {
      asc = false;
    } else if (r.order().equalsIgnoreCase("asc")) {
      asc = true;
    } else {
      throw OmemException.invalid("order must be 'asc' or 'desc', got '" + r.order() + "'");
    }
    String partition = r.space() == null ? tenant : access.readable(tenant, r.space()).partition();
    ListRequest.Narrowing n =
        r.narrowing() == null
            ? new ListRequest.Narrowing(null, null, null, null, null)
            : r.narrowing();
    MemoryFilter f =
        MemoryFilter.builder(partition)
            .scopes(ScopeRules.readScopes(r.scope(), caller.project()))
            .tags(RequestValidator.tags(r.tags()))
            .categories(categories)
            .states(states)
            .memoryType(type)
            .source(n.source())
            .agentId(n.agentId())
            .createdAfter(n.createdFrom())
            .createdBefore(n.createdBefore())
            .tier(n.tier() == null ? null : RequestValidator.tier(n.tier()))
            .build();
    return repo.list(f, sort, asc, limit, offset);
  }

  Profile profile(String tenant, Caller caller) {
    return new ProfileBuilder(repo, clock)
        .build(tenant, ScopeRules.readScopes(null, caller.project()));
  }

  Map<String, Object> stats(String tenant) {
    return new StatsBuilder(repo, clock).build(tenant);
  }

  StoreShape shape(String tenant) {
    return new StoreShapeBuilder(repo, clock).build(tenant);
  }
}
