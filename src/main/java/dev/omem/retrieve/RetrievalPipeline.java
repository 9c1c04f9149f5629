package dev.omem.retrieve;

import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.Scope;
import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchMode;
import dev.omem.domain.SearchOutcome;
import dev.omem.embed.Embedder;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.index.IndexHit;
import dev.omem.index.IndexHits;
import dev.omem.index.IndexSynchronizer;
import dev.omem.index.VectorPools;
import dev.omem.lifecycle.Decay;
import dev.omem.store.MemoryRepository;
import dev.omem.store.StoredMemory;
import dev.omem.store.Vectors;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
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
 *
 * <p>Over 400 lines because the staged pipeline reads top to bottom as one search, each stage a
 * short method.
 */
public final class RetrievalPipeline {
  private static final Pattern NON_WORD = Pattern.compile("\\W+");

  private final MemoryRepository repo;
  private final Supplier<IndexSynchronizer> index;
  private final EmbeddingProvider embeddings;
  private final Clock clock;
  private final SearchMode mode;
  private final RelevanceModel relevance;
  private final RelevanceModel withoutVectors;
  // memory_search's own decision when it names no min_score (session 18, SearchGate).
  private final SearchGate searchGate = SearchGate.shipped();

  /**
   * The one wiring: the shipped relevance models, {@code withoutVectors} scoring while there are no
   * vectors (BM25 mode, the embedding model loading or failed).
   */
  public RetrievalPipeline(
      MemoryRepository repo,
      Supplier<IndexSynchronizer> index,
      EmbeddingProvider embeddings,
      Clock clock,
      SearchMode mode) {
    this.relevance = RelevanceModel.shipped();
    this.withoutVectors = RelevanceModel.shippedWithoutVectors().requireWithoutVectors();
    this.repo = repo;
    this.index = index;
    this.embeddings = embeddings;
    this.clock = clock;
    this.mode = mode;
  }

  /** A search of the query filter's partition alone. */
  public SearchOutcome search(SearchQuery q) {
    return search(q, List.of(new SearchSpace(q.filter().tenantId(), 1.0)));
  }

  /**
   * One search over several spaces: the query is embedded once, each retriever ranks the memories
   * of all {@code spaces} together, and each memory's score is multiplied by its space's weight.
   */
  public SearchOutcome search(SearchQuery q, List<SearchSpace> spaces) {
    return ranked(q, spaces).outcome();
  }

  /**
   * A search's outcome with what its caller may read again without embedding or loading it (issue
   * 14's successor look-up embedded the same query a second time on every search).
   *
   * @param queryVector the query's vector, or null when this search did not embed it
   * @param firstVector the first result's stored vector, or null when there is none
   * @param floor the score its results had to reach: the caller's {@code min_score}, the search
   *     gate's floor for this query ({@link SearchGate#floor}), or {@link SearchGate#CLOSED_FLOOR}
   */
  public record Ranked(
      SearchOutcome outcome, float[] queryVector, float[] firstVector, double floor) {}

  /** {@link #search(SearchQuery, List)}, with the vectors it read. */
  public Ranked ranked(SearchQuery q, List<SearchSpace> spaces) {
    return rankedWithPool(q, spaces, 0).plain();
  }

  /**
   * A search and, from the same retrieval, its pool for a reranker: the best {@code pool} of the
   * same candidates without the floor (null when {@code pool} is 0).
   */
  public record Pooled(Ranked plain, Ranked pool) {}

  /**
   * {@link #ranked}, and its best {@code pool} candidates whatever their score: one retrieval
   * (BM25, the query's embedding, kNN, the relevance model) ranked twice, so that the plain answer
   * is exactly {@link #ranked}'s. The floor cannot be applied to the pool's results afterwards: it
   * reads the relevance score before decay, importance, scope and diversity, which the results'
   * scores already carry.
   */
  public Pooled rankedWithPool(SearchQuery q, List<SearchSpace> spaces, int pool) {
    TraceRecorder trace = new TraceRecorder();
    Fused fused = fuse(q, spaceFilters(q, spaces), trace, false);
    // The stages below change a candidate's score in place: the pool ranks copies.
    List<Candidate> copies =
        pool == 0
            ? List.of()
            : new ArrayList<>(fused.list().stream().map(Candidate::copy).toList());
    Instant now = clock.instant();
    TimeFocus.Focus[] focus = new TimeFocus.Focus[1]; // read once, where the plain trace shows it
    Ranked plain = rank(q, spaces, fused.list(), fused, fused.floor(), now, focus, trace);
    Ranked candidates =
        pool == 0
            ? null
            : rank(
                new SearchQuery(q.text(), q.filter(), pool, 0, q.homeScope()),
                spaces,
                copies,
                fused,
                0,
                now,
                focus,
                new TraceRecorder());
    return new Pooled(plain, candidates);
  }

  /**
   * The stages after retrieval: floor, weights, diversity, time, limit. {@code floor} is the fused
   * floor for the plain answer (the caller's min_score, or the search gate's), 0 for the pool.
   */
  private Ranked rank(
      SearchQuery q,
      List<SearchSpace> spaces,
      List<Candidate> list,
      Fused fused,
      double floor,
      Instant now,
      TimeFocus.Focus[] focus,
      TraceRecorder trace) {
    int beforeMin = list.size();
    List<Candidate> kept = trace.time(() -> list.stream().filter(c -> c.score >= floor).toList());
    trace.stage(
        "min_score",
        beforeMin,
        kept.size(),
        range(kept),
        floor == SearchGate.CLOSED_FLOOR
            ? "search gate closed: no floor is reached"
            : "min_score=" + floor);

    List<Candidate> weighed = trace.time(() -> weigh(kept, q.homeScope(), now));
    trace.stage("decay_importance", kept.size(), weighed.size(), range(weighed), null);

    List<Candidate> weighted = spaceWeights(weighed, spaces, floor, trace);

    List<Candidate> diverse = trace.time(() -> diversify(weighted));
    trace.stage("diversity", weighted.size(), diverse.size(), range(diverse), null);

    if (focus[0] == null) {
      focus[0] = timeFocus(q, spaces, LocalDate.ofInstant(now, ZoneId.systemDefault()), trace);
    }
    TimeFocus.Focus f = focus[0];
    List<Candidate> timed = diverse;
    if (!f.none()) {
      timed = trace.time(() -> TimeFocus.order(diverse, f, ZoneId.systemDefault()));
      trace.stage("time", diverse.size(), timed.size(), range(timed), f.describe());
    }

    List<Candidate> top = timed.subList(0, Math.min(q.limit(), timed.size()));
    trace.stage("limit", timed.size(), top.size(), range(top), "limit=" + q.limit());

    List<ScoredMemory> results =
        top.stream().map(c -> new ScoredMemory(c.row.memory(), round(c.score))).toList();
    return new Ranked(
        new SearchOutcome(
            results,
            trace.finish(results.size(), fused.mode()),
            results.isEmpty() && floor == SearchGate.CLOSED_FLOOR ? SearchGate.CLOSED : null,
            null,
            null),
        fused.queryVector(),
        top.isEmpty() ? null : top.get(0).row.vector(),
        floor);
  }

  /**
   * What the question says about time. An offset from an event ("two weeks before the trip") is
   * resolved by a first retrieval of the event's words: the best memory's date ({@link
   * EventOffset#dateOf}), moved by the offset, joins the question's spans. Only such questions pay
   * for the second retrieval.
   */
  private TimeFocus.Focus timeFocus(
      SearchQuery q, List<SearchSpace> spaces, LocalDate today, TraceRecorder trace) {
    TimeFocus.Focus focus = TimeFocus.read(q.text(), today);
    Optional<EventOffset> offset = TimeFocus.ON ? EventOffset.find(q.text()) : Optional.empty();
    if (offset.isEmpty()) {
      return focus;
    }
    SearchQuery event = new SearchQuery(offset.get().event(), q.filter(), 1, 0, q.homeScope());
    List<Candidate> found =
        trace.time(
            () -> fuse(event, spaceFilters(event, spaces), new TraceRecorder(), false).list());
    if (found.isEmpty()) {
      trace.stage("event", 0, 0, null, "\"" + event.text() + "\": no memory tells of it");
      return focus;
    }
    DateSpan at = EventOffset.dateOf(found.get(0).row.memory(), ZoneId.systemDefault());
    DateSpan span = offset.get().from(at);
    trace.stage(
        "event",
        found.size(),
        1,
        range(found.subList(0, 1)),
        "\"" + event.text() + "\" on " + at + ", so " + span);
    return focus.with(span);
  }

  /**
   * The candidates a search would weigh, each memory's id with its {@link RelevanceFeatures} and
   * relevance, best first: what {@code scripts/fit-relevance} fits the model on, through the same
   * stages as {@link #search}. Empty when the embedding model is not ready, unless this pipeline is
   * in BM25 mode (then the rows the model without vectors reads, for its fit).
   */
  public List<RelevanceRow> relevanceRows(SearchQuery q) {
    Fused fused = fuse(q, List.of(q.filter()), new TraceRecorder(), true);
    return fused.scored() || mode == SearchMode.BM25 ? fused.rows() : List.of();
  }

  /** One candidate as the relevance model saw it. */
  public record RelevanceRow(String id, double[] features, double relevance) {}

  private record Fused(
      List<Candidate> list,
      String mode,
      boolean scored,
      List<RelevanceRow> rows,
      float[] queryVector,
      double floor) {}

  /** The query's filter once per space, each with that space's partition. */
  private static List<MemoryFilter> spaceFilters(SearchQuery q, List<SearchSpace> spaces) {
    return spaces.stream().map(s -> q.filter().withTenant(s.partition())).toList();
  }

  /** Retrievers, fusion, normalisation, context expansion and the relevance score. */
  private Fused fuse(
      SearchQuery q, List<MemoryFilter> filters, TraceRecorder trace, boolean everyFeature) {
    // The index, or while it is rebuilt the store: the trace's notes then say so.
    IndexSynchronizer idx = index.get();
    Map<String, Candidate> byId = new LinkedHashMap<>();

    boolean useBm25 = mode != SearchMode.VECTOR;
    IndexHits text =
        useBm25
            ? trace.time(
                () ->
                    idx.searchText(
                        QueryReader.keywords(q.text()), filters, RankingWeights.CANDIDATES))
            : new IndexHits(List.of(), "off");
    List<IndexHit> bm25 = text.hits();
    trace.stage("bm25", 0, bm25.size(), rawRange(bm25), text.fallback());
    double bestBm25 = bm25.isEmpty() ? 1 : bm25.get(0).score();
    for (int i = 0; i < bm25.size(); i++) {
      Candidate c = byId.computeIfAbsent(bm25.get(i).id(), Candidate::new);
      c.bm25 = bm25.get(i).score() / bestBm25;
      c.bm25Rank = tiedRank(bm25, i);
    }

    Optional<Embedder> embedder = mode == SearchMode.BM25 ? Optional.empty() : embeddings.ifReady();
    String used;
    float[][] queryVector = new float[1][]; // embedded once, read again by the relevance model
    List<IndexHit> centred = List.of(); // the vector retriever's centred list, for the window
    boolean placeCentred = false; // whether the model reads the centred places (below)
    if (embedder.isPresent()) {
      used = useBm25 ? "hybrid" : "vector";
      // Two lists from one exact pass (IndexSynchronizer.searchVectorPools): the nearest by
      // cosine, which is fused as main's vector list, and the nearest to the query centred on the
      // store's mean vector, where a distinct fact is not crowded out by a dense cluster of
      // near-copies: its best enter the relevance window only (window below), read against the
      // fused best (RelevanceFeatures' reference), so fusion and the rows main weighs are main's.
      // Placed in fusion by their better place instead (session 15), limit 10 gave 0.835 / 0.865 /
      // 0.855 at 1k / 10k / 100k (main 0.900 / 0.745 / 0.600), LoCoMo dev R@10 0.792 -> 0.775 and
      // the coding lane's hook precision 0.624 -> 0.588 (issue 19, BENCHMARKS "Session 16").
      VectorPools nearest =
          trace.time(
              () -> {
                queryVector[0] = embedder.get().embedQuery(q.text());
                return idx.searchVectorPools(queryVector[0], filters, RankingWeights.CANDIDATES);
              });
      List<IndexHit> plain = nearest.plain();
      for (int i = 0; i < plain.size(); i++) {
        Candidate c = byId.computeIfAbsent(plain.get(i).id(), Candidate::new);
        c.cosine = plain.get(i).score();
        c.vectorRank = tiedRank(plain, i);
      }
      centred = nearest.centred();
      // Where the store holds more memories than the plain list (it was cut), each candidate's
      // centred place too: the relevance model reads a memory's vector place as the better of its
      // two (RelevanceFeatures' log_vector_rank); fusion is still the plain list's. In a store the
      // lists hold whole, the model's fit data (the coding lane: 17-23 memories a project), it
      // reads the plain place it was fitted on: read there too, the lane's left-out hook precision
      // fell 0.624 -> 0.618 (issue 19, BENCHMARKS.md "Session 18").
      placeCentred = plain.size() >= RankingWeights.CANDIDATES;
      for (int i = 0; placeCentred && i < centred.size(); i++) {
        Candidate c = byId.get(centred.get(i).id());
        if (c != null) {
          c.centredRank = tiedRank(centred, i);
        }
      }
      List<IndexHit> vec = new ArrayList<>(nearest.plain());
      vec.addAll(nearest.centred());
      long found = byId.values().stream().filter(c -> c.vectorRank >= 0).count();
      trace.stage("vector", 0, (int) found, rawRange(vec), nearest.fallback());
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
          expandContext(list, filters);
          return null;
        });
    trace.stage(
        "context", beforeContext, list.size(), range(list), "next memory of a session's best hits");

    // The relevance score (RelevanceModel) of the best WEIGH_WINDOW fused candidates: it becomes
    // their score and their order. Without vectors (the model still loading or failed, or BM25
    // mode) a second model reads the features BM25 alone gives, on the same scale (its floor is
    // the shipped floor), so that the default floor neither drops a memory's own words nor lets
    // any shared word through.
    int window = Math.max(RankingWeights.WEIGH_WINDOW, 3 * q.limit());
    List<Candidate> head = window(list, centred, window, vectorWeight / best, placeCentred);
    boolean withVectors = embedder.isPresent();
    RelevanceModel model = withVectors ? relevance : withoutVectors;
    // A search naming no min_score, with vectors: the query-style gate decides whether it is
    // answered and its floor on the scores (SearchGate#floor). Under the gate's fewest
    // candidates, the shipped floor decides, as without it (session 19).
    boolean own = q.ownFloor() && withVectors;
    double[] floor = {q.minScore()};
    List<RelevanceRow> rows = new ArrayList<>();
    trace.time(
        () -> {
          // The context expansion's rows are already read: only the others are loaded.
          Map<String, StoredMemory> stored =
              repo.findStored(head.stream().filter(c -> c.row == null).map(c -> c.id).toList());
          // The fused best come first in the head; the centred list's extras after them are read
          // against the fused best alone, so they never change how those read (session 16).
          int reference = 0;
          int fusedBest = Math.min(window, list.size()); // window() put them first
          List<Candidate> found = new ArrayList<>(head.size());
          for (int i = 0; i < head.size(); i++) {
            Candidate c = head.get(i);
            c.row = c.row != null ? c.row : stored.get(c.id);
            if (c.row != null) { // else deleted since the index saw it
              found.add(c);
              reference += i < fusedBest ? 1 : 0;
            }
          }
          head.clear();
          head.addAll(found);
          double[][] x =
              withVectors
                  ? RelevanceFeatures.of(
                      q.text(),
                      head,
                      reference,
                      queryVector[0],
                      // The background is embedded only when a model reads it, or for a fit.
                      everyFeature || relevance.readsBackground()
                          ? BackgroundPrompts.vectors(embedder.get())
                          : new float[0][])
                  : RelevanceFeatures.of(q.text(), head);
          // Pair probabilities times the query's gate (RelevanceGate): one factor per query;
          // its query style reads the vector embedded above (no second model call).
          RelevanceModel.Scored scored = model.scored(x, withVectors ? queryVector[0] : null);
          if (own) {
            floor[0] = searchGate.floor(scored, x, queryVector[0], q.minScore());
          }
          double[] p = scored.scores();
          for (int i = 0; i < head.size(); i++) {
            rows.add(new RelevanceRow(head.get(i).id, x[i], p[i]));
            head.get(i).score = p[i];
          }
          sorted(head);
          return null;
        });
    trace.stage(
        "relevance",
        list.size(),
        head.size(),
        range(head),
        (withVectors
                ? "probability that the memory matters (RelevanceModel), top "
                : "BM25 only: relevance from the words alone (RelevanceModel without vectors), top ")
            + window);
    return new Fused(head, used, withVectors, rows, queryVector[0], floor[0]);
  }

  /**
   * The candidates the relevance model weighs: the best {@code size} fused (main's rows), then the
   * centred list's best {@code size} not among them, in the centred order, wherever fusion put them
   * or, if fusion never saw them, as a row with its plain cosine, its centred place and its
   * vector-only fused score. BM25 lifts every memory that shares the question's words, so in a
   * store of near-copies (all sharing them) a memory only the centred list found stays below the
   * fused best however high its vector score ({@code NearCopyClusterSearchTest} at the default
   * limit 10, session 15). No constant; at most twice the rows; a store no larger than the window
   * has no such rows.
   */
  private static List<Candidate> window(
      List<Candidate> fused,
      List<IndexHit> centred,
      int size,
      double vectorShare,
      boolean placeCentred) {
    List<Candidate> out = new ArrayList<>(fused.subList(0, Math.min(size, fused.size())));
    Map<String, Candidate> below = new HashMap<>();
    for (Candidate c : fused.subList(out.size(), fused.size())) {
      below.put(c.id, c);
    }
    Set<String> inWindow = new HashSet<>();
    out.forEach(c -> inWindow.add(c.id));
    for (int i = 0; i < Math.min(size, centred.size()); i++) {
      IndexHit h = centred.get(i);
      if (inWindow.contains(h.id())) {
        continue;
      }
      Candidate c = below.get(h.id());
      if (c == null) { // only the centred list found it: its plain cosine, its centred place
        c = new Candidate(h.id());
        c.cosine = h.score();
        c.vectorRank = tiedRank(centred, i);
        c.score = vectorShare * vectorScore(h.score());
      }
      c.centredRank = placeCentred ? tiedRank(centred, i) : -1;
      out.add(c);
    }
    return out;
  }

  /**
   * Multiplies each score by its space's weight and drops what then falls under {@code minScore}; a
   * search of one personal space (weight 1) is left as it is.
   */
  private static List<Candidate> spaceWeights(
      List<Candidate> in, List<SearchSpace> spaces, double minScore, TraceRecorder trace) {
    if (spaces.size() == 1 && spaces.get(0).weight() == 1.0) {
      return in;
    }
    Map<String, Double> weights = new HashMap<>();
    spaces.forEach(s -> weights.put(s.partition(), s.weight()));
    List<Candidate> out =
        trace.time(
            () -> {
              in.forEach(c -> c.score *= weights.get(c.row.memory().tenantId()));
              return sorted(new ArrayList<>(in.stream().filter(c -> c.score >= minScore).toList()));
            });
    trace.stage(
        "spaces",
        in.size(),
        out.size(),
        range(out),
        spaces.size()
            + " spaces in one ranking, weighted personal 1.0, team 0.8, organization 0.6");
    return out;
  }

  /**
   * The place of hit {@code i}, shared by equal scores: the same text in two spaces must read the
   * same to the relevance model, so that only the spaces' weights tell the copies apart.
   */
  private static int tiedRank(List<IndexHit> hits, int i) {
    int r = i;
    while (r > 0 && hits.get(r - 1).score() == hits.get(i).score()) {
      r--;
    }
    return r;
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
  private void expandContext(List<Candidate> list, List<MemoryFilter> filters) {
    if (list.isEmpty()) {
      return;
    }
    List<Candidate> best =
        List.copyOf(list.subList(0, Math.min(RankingWeights.CONTEXT_TOP, list.size())));
    Map<String, Candidate> byId = new HashMap<>();
    list.forEach(c -> byId.put(c.id, c));
    List<String> bestIds = best.stream().map(c -> c.id).toList();
    Map<String, String> next = new HashMap<>();
    for (MemoryFilter f : filters) { // a session lies within one space
      next.putAll(repo.neighbours(f.tenantId(), bestIds, true));
    }
    Map<String, StoredMemory> rows = repo.findStored(next.values());
    for (Candidate c : best) {
      StoredMemory row = rows.get(next.get(c.id));
      if (row == null || filters.stream().noneMatch(f -> f.matches(row.memory()))) {
        continue;
      }
      Candidate n = byId.computeIfAbsent(row.memory().id(), Candidate::new);
      n.row = row; // read here, not again for the relevance model
      if (!list.contains(n)) {
        list.add(n);
      }
      n.score = Math.max(n.score, RankingWeights.CONTEXT_SHARE * c.score);
    }
    sorted(list);
  }

  /** Drops expired memories, and applies decay, importance, scope and trust factors. */
  private List<Candidate> weigh(List<Candidate> in, String homeScope, Instant now) {
    List<Candidate> out = new ArrayList<>(in.size());
    for (Candidate c : in) {
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

  /**
   * Best first; equal scores keep their order (the sort is stable), which goes back to the
   * retrievers': Lucene gives equal scores in document order, the order the memories were indexed.
   * Breaking ties by id instead ranked them by random UUIDs, so two stores of the same memories
   * answered differently (LoCoMo dev on a fixed clock: 110 of 304 questions' rankings differed
   * between two runs of one build; none with this order. Issue 15, session 11).
   */
  private static List<Candidate> sorted(List<Candidate> list) {
    list.sort(Comparator.comparingDouble((Candidate c) -> -c.score));
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
