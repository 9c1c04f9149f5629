package dev.omem.service;

import static dev.omem.embed.UnitVectors.dot;

import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryState;
import dev.omem.domain.ScoredMemory;
import dev.omem.embed.Embedder;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.index.IndexHit;
import dev.omem.index.IndexSynchronizer;
import dev.omem.store.MemoryRepository;
import dev.omem.store.StoredMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A search that names what a superseded memory said leads with what replaced it (issue 14: "the new
 * one ranks first"). A changed mind is often worded apart from the fact it replaces ("Nevermind, I
 * will stick with the VS Code task" after "run the sync as a step in main.yml"), so a search in the
 * old words finds other current memories first and the replacement nowhere. The superseded memory
 * itself stays out of the results; when it is nearer the query (cosine, the shipped model) than the
 * first result, the current end of its {@code superseded_by} chain takes the first place, and the
 * listed memories that restate the superseded one ({@link #RESTATES}) leave that search: the old
 * choice said twice must not stay beside its replacement (session 24).
 *
 * <p>Cost: the query's vector (the search's own, not embedded again) compared with the partition's
 * superseded memories' vectors ({@link SupersededNear}, read again only after a write); only when
 * one is nearer the query than the first result, one BM25 query over the archived memories of the
 * caller's partition, and its superseded hits compared the same way.
 */
final class SuccessorLead {
  /** Archived memories looked at per search: the nearest few in the query's words. */
  private static final int LOOKED_AT = 3;

  /**
   * Cosine (stored vectors, the shipped model) from which a listed memory restates the superseded
   * memory the query names, and leaves that search (session 24, docs/extraction/supersede-rule.md
   * step 3): {@code FitRestatement --precision 0.9} on the dev corpus's user sentences, the lowest
   * grid value whose joined sentence pairs state the same labelled fact at least nine times in ten,
   * 0.850 on all nine repositories and in seven of nine left-out folds (0.875 in the other two);
   * left out, 7 of 211 same-fact pairs joined and 1 of 2364 different-fact pairs.
   */
  static final double RESTATES = 0.85;

  /** Longest chain followed (a replaced, then replaced again, fact): a cycle cannot loop. */
  private static final int MAX_HOPS = 8;

  private final MemoryRepository repo;
  private final Supplier<IndexSynchronizer> index;
  private final EmbeddingProvider embeddings;
  private final SupersededNear near;
  private final AtomicLong lookUps = new AtomicLong();

  SuccessorLead(
      MemoryRepository repo, Supplier<IndexSynchronizer> index, EmbeddingProvider embeddings) {
    this.repo = repo;
    this.index = index;
    this.embeddings = embeddings;
    this.near = new SupersededNear(repo);
  }

  /** The searches that looked in the index for a superseded memory (the tests read it). */
  long lookUps() {
    return lookUps.get();
  }

  /**
   * {@code results} of the search {@code query} over active memories filtered by {@code active},
   * with the successor of a superseded memory that matches the query better than the first result
   * moved (or added) to the first place, at most {@code limit} results. It reads again what the
   * search already had: {@code queryVector}, the query's vector under the provider's model (one
   * model, and a text's vector does not depend on when it was embedded, so it is the one a new call
   * would give), and {@code firstVector}, the first result's stored vector; either null when the
   * search had none, and then embedded or loaded here.
   */
  List<ScoredMemory> lead(
      String query,
      MemoryFilter active,
      List<ScoredMemory> results,
      int limit,
      float[] queryVector,
      float[] firstVector) {
    if (results.isEmpty()) {
      return results; // nothing matched at all: no first result to compare with
    }
    if (queryVector != null && firstVector != null) {
      // Exact, not a guess: below, a superseded memory leads only when it is nearer the query
      // than the first result; when no superseded memory of the partition is, none can.
      if (!near.anyNearer(active.tenantId(), queryVector, dot(queryVector, firstVector))) {
        return results;
      }
    } else if (!repo.hasSuperseded(active.tenantId())) {
      // Exact too: the look-up below keeps only rows whose superseded_by is set, read from the
      // same store; a tenant with none (most searches) would find nothing to lead with.
      return results;
    }
    lookUps.incrementAndGet();
    MemoryFilter archived =
        MemoryFilter.builder(active.tenantId())
            .scopes(active.scopes())
            .tags(active.tags())
            .categories(active.categories())
            .states(Set.of(MemoryState.ARCHIVED))
            .memoryType(active.memoryType())
            .source(active.source())
            .agentId(active.agentId())
            .createdAfter(active.createdAfter())
            .createdBefore(active.createdBefore())
            .tier(active.tier())
            .build();
    List<IndexHit> hits = index.get().searchText(query, archived, LOOKED_AT).hits();
    if (hits.isEmpty()) {
      return results;
    }
    Map<String, StoredMemory> old = repo.findStored(hits.stream().map(IndexHit::id).toList());
    List<StoredMemory> superseded =
        old.values().stream()
            .filter(s -> s.memory().supersededBy() != null && s.vector() != null)
            .toList();
    Optional<Embedder> e = embeddings.ifReady();
    if (superseded.isEmpty() || e.isEmpty()) {
      return results;
    }
    Memory first = results.get(0).memory();
    float[] firstAt = firstVector;
    if (firstAt == null) {
      StoredMemory firstRow = repo.findStored(List.of(first.id())).get(first.id());
      firstAt = firstRow == null ? null : firstRow.vector();
    }
    if (firstAt == null) {
      return results;
    }
    float[] q = queryVector != null ? queryVector : e.get().embedQuery(query);
    double bar = dot(q, firstAt);
    StoredMemory best = null;
    for (StoredMemory s : superseded) {
      double sim = dot(q, s.vector());
      if (sim > bar) {
        bar = sim;
        best = s;
      }
    }
    if (best == null) {
      return results;
    }
    Memory successor = current(best.memory());
    if (successor == null || successor.id().equals(first.id()) || !active.matches(successor)) {
      return results;
    }
    List<ScoredMemory> out = new ArrayList<>();
    double score = results.get(0).score();
    for (ScoredMemory r : results) {
      if (r.memory().id().equals(successor.id())) {
        score = Math.max(score, r.score());
      }
    }
    out.add(new ScoredMemory(successor, score));
    // The query names a retired choice: a current memory that says it again is as stale here.
    List<ScoredMemory> rest =
        results.stream().filter(r -> !r.memory().id().equals(successor.id())).toList();
    Map<String, StoredMemory> rows =
        repo.findStored(rest.stream().map(r -> r.memory().id()).toList());
    float[] retired = best.vector();
    for (ScoredMemory r : rest) {
      StoredMemory row = rows.get(r.memory().id());
      if (row == null || row.vector() == null || dot(row.vector(), retired) < RESTATES) {
        out.add(r);
      }
    }
    return out.size() > limit ? out.subList(0, limit) : out;
  }

  /** The active end of {@code m}'s {@code superseded_by} chain, or null when there is none. */
  private Memory current(Memory m) {
    Memory at = m;
    for (int hop = 0; hop < MAX_HOPS && at.supersededBy() != null; hop++) {
      Optional<Memory> next = repo.find(at.tenantId(), at.supersededBy());
      if (next.isEmpty()) {
        return null;
      }
      at = next.get();
    }
    return at.state() == MemoryState.ACTIVE ? at : null;
  }
}
