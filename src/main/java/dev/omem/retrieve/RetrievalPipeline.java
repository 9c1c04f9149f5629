package dev.omem.retrieve;

import dev.omem.domain.Memory;
import dev.omem.domain.Scope;
import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchMode;
import dev.omem.domain.SearchOutcome;
import dev.omem.embed.Embedder;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.index.IndexHit;
import dev.omem.index.MemoryIndex;
import dev.omem.lifecycle.Decay;
import dev.omem.store.MemoryRepository;
import dev.omem.store.StoredMemory;
import dev.omem.store.Vectors;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The staged hybrid search of DESIGN.md "Retrieval": BM25 and vector candidates, weighted
 * reciprocal-rank fusion, normalisation, minimum score, decay and importance, diversity, limit.
 * Each stage is recorded in the trace.
 */
public final class RetrievalPipeline {
  private final MemoryRepository repo;
  private final Supplier<MemoryIndex> index;
  private final EmbeddingProvider embeddings;
  private final Clock clock;
  private final SearchMode mode;

  public RetrievalPipeline(
      MemoryRepository repo,
      Supplier<MemoryIndex> index,
      EmbeddingProvider embeddings,
      Clock clock,
      SearchMode mode) {
    this.repo = repo;
    this.index = index;
    this.embeddings = embeddings;
    this.clock = clock;
    this.mode = mode;
  }

  public SearchOutcome search(SearchQuery q) {
    TraceRecorder trace = new TraceRecorder();
    MemoryIndex idx = index.get();
    Map<String, Candidate> byId = new LinkedHashMap<>();

    List<IndexHit> bm25 =
        mode == SearchMode.VECTOR
            ? List.of()
            : trace.time(() -> idx.searchText(q.text(), q.filter(), RankingWeights.CANDIDATES));
    trace.stage("bm25", 0, bm25.size(), rawRange(bm25), mode == SearchMode.VECTOR ? "off" : null);
    for (int i = 0; i < bm25.size(); i++) {
      byId.computeIfAbsent(bm25.get(i).id(), Candidate::new).bm25Rank = i + 1;
    }

    Optional<Embedder> embedder = mode == SearchMode.BM25 ? Optional.empty() : embeddings.ifReady();
    String used;
    if (embedder.isPresent()) {
      used = mode == SearchMode.VECTOR ? "vector" : "hybrid";
      List<IndexHit> vec =
          trace.time(
              () ->
                  idx.searchVector(
                      embedder.get().embedQuery(q.text()), q.filter(), RankingWeights.CANDIDATES));
      trace.stage("vector", 0, vec.size(), rawRange(vec), null);
      for (int i = 0; i < vec.size(); i++) {
        Candidate c = byId.computeIfAbsent(vec.get(i).id(), Candidate::new);
        c.vectorRank = i + 1;
        c.cosine = vec.get(i).score();
      }
    } else {
      used = "bm25";
      trace.stage(
          "vector",
          0,
          0,
          null,
          mode == SearchMode.BM25
              ? "off"
              : "skipped: embedding model " + embeddings.status() + "; BM25 only");
    }

    // Weighted reciprocal-rank fusion.
    List<Candidate> list =
        trace.time(
            () -> {
              for (Candidate c : byId.values()) {
                c.score = rrf(RankingWeights.BM25_WEIGHT, c.bm25Rank);
                c.score +=
                    embedder.isPresent() ? rrf(RankingWeights.VECTOR_WEIGHT, c.vectorRank) : 0;
              }
              return sorted(new ArrayList<>(byId.values()));
            });
    trace.stage(
        "fusion",
        byId.size(),
        list.size(),
        range(list),
        "weighted RRF, k=" + (int) RankingWeights.RRF_K);

    // Normalise by the best possible fused score: first in every retriever used = 1.0.
    double best =
        (mode == SearchMode.VECTOR ? 0 : rrf(RankingWeights.BM25_WEIGHT, 1))
            + (embedder.isPresent() ? rrf(RankingWeights.VECTOR_WEIGHT, 1) : 0);
    trace.time(
        () -> {
          list.forEach(c -> c.score /= best);
          return null;
        });
    trace.stage("normalize", list.size(), list.size(), range(list), null);

    int beforeMin = list.size();
    int window = Math.max(RankingWeights.WEIGH_WINDOW, 3 * q.limit());
    List<Candidate> kept =
        trace.time(() -> list.stream().filter(c -> c.score >= q.minScore()).limit(window).toList());
    trace.stage(
        "min_score",
        beforeMin,
        kept.size(),
        range(kept),
        "min_score=" + q.minScore() + ", top " + window + " kept");

    Instant now = clock.instant();
    List<Candidate> weighted = trace.time(() -> weigh(kept, q.homeScope(), now));
    trace.stage("decay_importance", kept.size(), weighted.size(), range(weighted), null);

    List<Candidate> diverse = trace.time(() -> diversify(weighted));
    trace.stage("diversity", weighted.size(), diverse.size(), range(diverse), null);

    List<Candidate> top = diverse.subList(0, Math.min(q.limit(), diverse.size()));
    trace.stage("limit", diverse.size(), top.size(), range(top), "limit=" + q.limit());

    List<ScoredMemory> results =
        top.stream().map(c -> new ScoredMemory(c.row.memory(), round(c.score))).toList();
    return new SearchOutcome(results, trace.finish(results.size(), used));
  }

  private static double rrf(double weight, int rank) {
    return rank <= 0 ? 0 : weight / (RankingWeights.RRF_K + rank);
  }

  /** Loads the rows, drops expired ones, and applies decay, importance and scope factors. */
  private List<Candidate> weigh(List<Candidate> in, String homeScope, Instant now) {
    Map<String, StoredMemory> rows = repo.findStored(in.stream().map(c -> c.id).toList());
    List<Candidate> out = new ArrayList<>(in.size());
    for (Candidate c : in) {
      c.row = rows.get(c.id);
      if (c.row == null) {
        continue; // deleted since the index saw it
      }
      Memory m = c.row.memory();
      if (m.expiresAt() != null && !m.expiresAt().isAfter(now)) {
        continue;
      }
      double recency = Decay.recency(m, now);
      c.score *= 1 - RankingWeights.DECAY_WEIGHT * (1 - recency);
      c.score *= 1 + RankingWeights.IMPORTANCE_WEIGHT * (m.importance() - 0.5);
      c.score *= scopeFactor(m.scope(), homeScope);
      out.add(c);
    }
    return sorted(out);
  }

  private static double scopeFactor(String scope, String homeScope) {
    if (scope.equals(homeScope)) {
      return 1.0;
    }
    return Scope.GLOBAL.equals(scope)
        ? RankingWeights.GLOBAL_SCOPE_FACTOR
        : RankingWeights.OTHER_PROJECT_FACTOR;
  }

  /** Keeps order, but moves a result that repeats a better one (same text or vector) to the end. */
  private static List<Candidate> diversify(List<Candidate> in) {
    List<Candidate> firsts = new ArrayList<>();
    List<Candidate> repeats = new ArrayList<>();
    Set<String> texts = new HashSet<>();
    for (Candidate c : in) {
      boolean repeat = !texts.add(normalized(c.row.memory().content()));
      if (!repeat && c.row.vector() != null) {
        for (Candidate f : firsts) {
          if (f.row.vector() != null
              && f.row.vector().length == c.row.vector().length
              && Vectors.dot(f.row.vector(), c.row.vector())
                  >= RankingWeights.NEAR_DUPLICATE_COSINE) {
            repeat = true;
            break;
          }
        }
      }
      (repeat ? repeats : firsts).add(c);
    }
    firsts.addAll(repeats);
    return firsts;
  }

  private static String normalized(String text) {
    return text.toLowerCase(java.util.Locale.ROOT).replaceAll("\\W+", " ").strip();
  }

  private static List<Candidate> sorted(List<Candidate> list) {
    list.sort(Comparator.comparingDouble((Candidate c) -> -c.score).thenComparing(c -> c.id));
    return list;
  }

  private static double[] range(List<Candidate> list) {
    if (list.isEmpty()) {
      return new double[] {0, 0};
    }
    double lo = Double.MAX_VALUE;
    double hi = -Double.MAX_VALUE;
    for (Candidate c : list) {
      lo = Math.min(lo, c.score);
      hi = Math.max(hi, c.score);
    }
    return new double[] {round(lo), round(hi)};
  }

  private static double[] rawRange(List<IndexHit> hits) {
    if (hits.isEmpty()) {
      return new double[] {0, 0};
    }
    double lo = Double.MAX_VALUE;
    double hi = -Double.MAX_VALUE;
    for (IndexHit h : hits) {
      lo = Math.min(lo, h.score());
      hi = Math.max(hi, h.score());
    }
    return new double[] {round(lo), round(hi)};
  }

  static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }
}
