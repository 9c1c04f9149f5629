package dev.omem.retrieve;

import dev.omem.domain.Memory;
import dev.omem.domain.Scope;
import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchMode;
import dev.omem.domain.SearchOutcome;
import dev.omem.embed.Embedder;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.index.IndexHit;
import dev.omem.index.IndexHits;
import dev.omem.index.IndexSynchronizer;
import dev.omem.lifecycle.Decay;
import dev.omem.store.MemoryRepository;
import dev.omem.store.StoredMemory;
import dev.omem.store.Vectors;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.DoubleSummaryStatistics;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.DoubleStream;

/**
 * The staged hybrid search of DESIGN.md "Retrieval": BM25 and vector candidates, weighted fusion,
 * normalisation, context expansion, minimum score, decay and importance, diversity, limit. Each
 * stage is recorded in the trace. Every tuned number is in {@link RankingWeights}.
 */
public final class RetrievalPipeline {
  private static final Pattern NON_WORD = Pattern.compile("\\W+");

  private final MemoryRepository repo;
  private final Supplier<IndexSynchronizer> index;
  private final EmbeddingProvider embeddings;
  private final Clock clock;
  private final SearchMode mode;

  public RetrievalPipeline(
      MemoryRepository repo,
      Supplier<IndexSynchronizer> index,
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
    // The index, or while it is rebuilt the store: the trace's notes then say so.
    IndexSynchronizer idx = index.get();
    Map<String, Candidate> byId = new LinkedHashMap<>();

    boolean useBm25 = mode != SearchMode.VECTOR;
    IndexHits text =
        useBm25
            ? trace.time(
                () ->
                    idx.searchText(
                        QueryReader.keywords(q.text()), q.filter(), RankingWeights.CANDIDATES))
            : new IndexHits(List.of(), "off");
    List<IndexHit> bm25 = text.hits();
    trace.stage("bm25", 0, bm25.size(), rawRange(bm25), text.fallback());
    double bestBm25 = bm25.isEmpty() ? 1 : bm25.get(0).score();
    for (IndexHit h : bm25) {
      byId.computeIfAbsent(h.id(), Candidate::new).bm25 = h.score() / bestBm25;
    }

    Optional<Embedder> embedder = mode == SearchMode.BM25 ? Optional.empty() : embeddings.ifReady();
    String used;
    if (embedder.isPresent()) {
      used = useBm25 ? "hybrid" : "vector";
      IndexHits nearest =
          trace.time(
              () ->
                  idx.searchVector(
                      embedder.get().embedQuery(q.text()), q.filter(), RankingWeights.CANDIDATES));
      List<IndexHit> vec = nearest.hits();
      trace.stage("vector", 0, vec.size(), rawRange(vec), nearest.fallback());
      for (IndexHit h : vec) {
        byId.computeIfAbsent(h.id(), Candidate::new).cosine = h.score();
      }
    } else {
      used = "bm25";
      String why =
          mode == SearchMode.BM25
              ? "off"
              : "skipped: embedding model " + embeddings.status() + "; BM25 only";
      trace.stage("vector", 0, 0, null, why);
    }

    // Weighted fusion of the normalised retriever scores (why not RRF: see RankingWeights).
    double bm25Weight = useBm25 ? RankingWeights.BM25_WEIGHT : 0;
    double vectorWeight = embedder.isPresent() ? RankingWeights.VECTOR_WEIGHT : 0;
    List<Candidate> list =
        trace.time(
            () -> {
              for (Candidate c : byId.values()) {
                c.score = bm25Weight * c.bm25 + vectorWeight * vectorScore(c.cosine);
              }
              return sorted(new ArrayList<>(byId.values()));
            });
    trace.stage(
        "fusion",
        byId.size(),
        list.size(),
        range(list),
        "bm25 ×" + bm25Weight + ", vector ×" + vectorWeight);

    // Normalise by the best possible fused score, so that 1.0 means "top in every retriever".
    double best = bm25Weight + vectorWeight;
    trace.time(
        () -> {
          list.forEach(c -> c.score /= best);
          return null;
        });
    trace.stage("normalize", list.size(), list.size(), range(list), null);

    int beforeContext = list.size();
    trace.time(
        () -> {
          expandContext(list, q);
          return null;
        });
    trace.stage(
        "context", beforeContext, list.size(), range(list), "next memory of a session's best hits");

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

  /** Cosine rescaled so that {@link RankingWeights#COSINE_FLOOR} and below count as nothing. */
  private static double vectorScore(double cosine) {
    if (Double.isNaN(cosine)) {
      return 0;
    }
    double floor = RankingWeights.COSINE_FLOOR;
    return Math.max(0, (cosine - floor) / (1 - floor));
  }

  /**
   * Adds, for each of the best candidates, the memory stored right after it in the same session,
   * with a share of its score: in a conversation the answer follows the turn that matches the
   * question ("What concert was it?", then "It was Matt Patterson").
   */
  private void expandContext(List<Candidate> list, SearchQuery q) {
    if (list.isEmpty()) {
      return;
    }
    List<Candidate> best =
        List.copyOf(list.subList(0, Math.min(RankingWeights.CONTEXT_TOP, list.size())));
    Map<String, Candidate> byId = new HashMap<>();
    list.forEach(c -> byId.put(c.id, c));
    Map<String, String> next =
        repo.neighbours(q.filter().tenantId(), best.stream().map(c -> c.id).toList(), true);
    Map<String, StoredMemory> rows = repo.findStored(next.values());
    for (Candidate c : best) {
      StoredMemory row = rows.get(next.get(c.id));
      if (row == null || !q.filter().matches(row.memory())) {
        continue;
      }
      Candidate n = byId.computeIfAbsent(row.memory().id(), Candidate::new);
      if (!list.contains(n)) {
        list.add(n);
      }
      n.score = Math.max(n.score, RankingWeights.CONTEXT_SHARE * c.score);
    }
    sorted(list);
  }

  /** Loads the rows, drops expired ones, and applies decay, importance, scope and trust factors. */
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
      c.score *= m.unconfirmed() ? RankingWeights.UNCONFIRMED_FACTOR : 1.0;
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
              && Vectors.dot(f.row.vector(), c.row.vector()) >= RankingWeights.NEAR_DUPLICATE_COSINE
              && sameNumbers(f.row.memory().content(), c.row.memory().content())) {
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

  private static final Pattern DIGITS = Pattern.compile("\\d+");

  /**
   * Whether two texts carry the same numbers in the same order. Vectors hardly tell "server 6 note
   * 5" from "server 5 note 6" (cosine above 0.97), yet they are two facts: neither is a repeat.
   */
  private static boolean sameNumbers(String a, String b) {
    return DIGITS
        .matcher(a)
        .results()
        .map(MatchResult::group)
        .toList()
        .equals(DIGITS.matcher(b).results().map(MatchResult::group).toList());
  }

  private static String normalized(String text) {
    return NON_WORD.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
  }

  private static List<Candidate> sorted(List<Candidate> list) {
    list.sort(Comparator.comparingDouble((Candidate c) -> -c.score).thenComparing(c -> c.id));
    return list;
  }

  private static double[] range(List<Candidate> list) {
    return range(list.stream().mapToDouble(c -> c.score));
  }

  private static double[] rawRange(List<IndexHit> hits) {
    return range(hits.stream().mapToDouble(IndexHit::score));
  }

  /** Lowest and highest score, rounded; {@code [0, 0]} when there is none. */
  private static double[] range(DoubleStream scores) {
    DoubleSummaryStatistics s = scores.summaryStatistics();
    return s.getCount() == 0
        ? new double[] {0, 0}
        : new double[] {round(s.getMin()), round(s.getMax())};
  }

  static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }
}
