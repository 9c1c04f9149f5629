package dev.omem.retrieve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchMode;
import dev.omem.domain.SearchOutcome;
import dev.omem.embed.Embedder;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.embed.ModelCatalog;
import dev.omem.embed.ModelSpec;
import dev.omem.index.IndexSynchronizer;
import dev.omem.store.MemoryRepository;
import dev.omem.store.MemoryWrite;
import dev.omem.store.StoredMemory;
import dev.omem.store.sqlite.Database;
import dev.omem.store.sqlite.SqliteMemoryRepository;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search over several spaces embeds the query once and ranks all of them together, with the real
 * model (wrapped only to count its calls), a real SQLite store and a real Lucene index.
 */
class OneRankingSearchTest {
  static EmbeddingProvider real;

  /** The real model, counting the queries it embeds. */
  static final class CountingEmbedder implements Embedder {
    final Embedder delegate;
    final AtomicInteger queries = new AtomicInteger();

    CountingEmbedder(Embedder delegate) {
      this.delegate = delegate;
    }

    @Override
    public ModelSpec spec() {
      return delegate.spec();
    }

    @Override
    public String vectorModel() {
      return delegate.vectorModel();
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
      return delegate.embedDocuments(texts);
    }

    @Override
    public float[] embedQuery(String query) {
      queries.incrementAndGet();
      return delegate.embedQuery(query);
    }

    @Override
    public void close() {}
  }

  @TempDir Path home;

  @BeforeAll
  static void loadModel() {
    real = new EmbeddingProvider(ModelCatalog.DEFAULT);
    real.startLoading();
    real.awaitReady(Duration.ofSeconds(120)).orElseThrow();
  }

  @AfterAll
  static void closeModel() {
    real.close();
  }

  @Test
  void embedsTheQueryOnceAndRanksAllSpacesTogether() {
    CountingEmbedder counting = new CountingEmbedder(real.ifReady().orElseThrow());
    String model = counting.spec().id();
    try (Database db = Database.open(home);
        EmbeddingProvider provider = EmbeddingProvider.of(counting)) {
      MemoryRepository repo = new SqliteMemoryRepository(db);
      Map<String, String> texts =
          Map.of(
              "personal-exact", "Deploys run through ArgoCD on the prod cluster 1",
              "personal-weak", "The prod cluster has three nodes",
              "team-exact", "Deploys run through ArgoCD on the prod cluster 2",
              "team-other", "Lunch is at noon on Fridays",
              "org-exact", "Deploys run through ArgoCD on the prod cluster 3");
      Map<String, String> idByName = new java.util.HashMap<>();
      texts.forEach(
          (name, text) -> {
            String partition = name.substring(0, name.indexOf('-'));
            Memory m = StoreFallbackSearchTest.memory(partition, text);
            repo.apply(
                new MemoryWrite().insert(new StoredMemory(m, counting.embedDocument(text), model)),
                null);
            idByName.put(m.id(), name);
          });
      try (IndexSynchronizer sync = IndexSynchronizer.open(repo, home.resolve("index"), model)) {
        RetrievalPipeline pipeline =
            new RetrievalPipeline(repo, () -> sync, provider, Clock.systemUTC(), SearchMode.HYBRID);
        SearchQuery q =
            new SearchQuery(
                "how do deploys reach the prod cluster",
                MemoryFilter.activeOf("personal"),
                10,
                0,
                null);
        List<SearchSpace> spaces =
            List.of(
                new SearchSpace("personal", 1.0),
                new SearchSpace("team", 0.8),
                new SearchSpace("org", 0.6));

        counting.queries.set(0);
        SearchOutcome all = pipeline.search(q, spaces);
        assertEquals(1, counting.queries.get(), "one embedding for three spaces");

        Map<String, Double> score =
            all.results().stream()
                .collect(Collectors.toMap(r -> idByName.get(r.memory().id()), ScoredMemory::score));
        List<String> order =
            all.results().stream().map(r -> idByName.get(r.memory().id())).toList();
        // Copies of one fact in three spaces (numbered, so that none is a repeat of another).
        assertEquals(
            List.of("personal-exact", "team-exact", "org-exact"),
            order.stream().filter(n -> n.endsWith("-exact")).toList(),
            "by weight");
        // Each copy's own relevance (the same spaces read at weight 1: the same candidates, so
        // the same features) times its space's weight is its score.
        SearchOutcome flat =
            pipeline.search(
                q,
                List.of(
                    new SearchSpace("personal", 1.0),
                    new SearchSpace("team", 1.0),
                    new SearchSpace("org", 1.0)));
        counting.queries.set(1); // the check's own search is not counted below
        assertEquals(0.8 * scoreOf(flat, idByName, "team-exact"), score.get("team-exact"), 2e-4);
        assertEquals(0.6 * scoreOf(flat, idByName, "org-exact"), score.get("org-exact"), 2e-4);
        assertEquals(scoreOf(flat, idByName, "personal-exact"), score.get("personal-exact"), 2e-4);

        // The same memory scores the same whichever other spaces are read with it.
        SearchOutcome mixed =
            pipeline.search(
                new SearchQuery(
                    "prod cluster nodes ArgoCD", MemoryFilter.activeOf("personal"), 10, 0, null),
                List.of(new SearchSpace("personal", 1.0), new SearchSpace("team", 1.0)));
        SearchOutcome personalOnly =
            pipeline.search(
                new SearchQuery(
                    "prod cluster nodes ArgoCD", MemoryFilter.activeOf("personal"), 10, 0, null));
        assertEquals(
            scoreOf(personalOnly, idByName, "personal-exact"),
            scoreOf(mixed, idByName, "personal-exact"),
            0.05,
            // The relevance model reads a memory against the query's other candidates (cosine
            // minus the best, ranks), so other spaces' candidates move it a little, never much.
            "the same memory scores about the same whichever spaces are read");
        assertEquals(3, counting.queries.get(), "one embedding per search");
        assertTrue(
            mixed.results().stream().anyMatch(r -> r.memory().tenantId().equals("team")),
            "both spaces answer");
        assertTrue(
            mixed.results().stream()
                .allMatch(r -> List.of("personal", "team").contains(r.memory().tenantId())),
            "no other space's memory");
      }
    }
  }

  /**
   * What a ranked search hands back for its caller to read again (the successor look-up) is what a
   * fresh embedding and a fresh read give, bit for bit, so reading it again changes no answer.
   */
  @Test
  void aRankedSearchHandsBackTheQueryVectorAndTheFirstResultsStoredVector() {
    Embedder e = real.ifReady().orElseThrow();
    String model = e.spec().id();
    try (Database db = Database.open(home)) {
      MemoryRepository repo = new SqliteMemoryRepository(db);
      for (String text :
          List.of(
              "Deploys run through ArgoCD on the prod cluster",
              "The prod cluster has three nodes",
              "Lunch is at noon on Fridays")) {
        Memory m = StoreFallbackSearchTest.memory("personal", text);
        repo.apply(
            new MemoryWrite().insert(new StoredMemory(m, e.embedDocument(text), model)), null);
      }
      try (IndexSynchronizer sync = IndexSynchronizer.open(repo, home.resolve("index"), model)) {
        RetrievalPipeline pipeline =
            new RetrievalPipeline(repo, () -> sync, real, Clock.systemUTC(), SearchMode.HYBRID);
        String text = "how do deploys reach the prod cluster";
        RetrievalPipeline.Ranked r =
            pipeline.ranked(
                new SearchQuery(text, MemoryFilter.activeOf("personal"), 10, 0, null),
                List.of(new SearchSpace("personal", 1.0)));
        String first = r.outcome().results().get(0).memory().id();
        assertArrayEquals(e.embedQuery(text), r.queryVector());
        assertArrayEquals(repo.findStored(List.of(first)).get(first).vector(), r.firstVector());

        RetrievalPipeline bm25 =
            new RetrievalPipeline(repo, () -> sync, real, Clock.systemUTC(), SearchMode.BM25);
        RetrievalPipeline.Ranked words =
            bm25.ranked(
                new SearchQuery("prod cluster", MemoryFilter.activeOf("personal"), 10, 0, null),
                List.of(new SearchSpace("personal", 1.0)));
        assertNull(words.queryVector(), "a search that embedded nothing hands back no vector");
      }
    }
  }

  static double scoreOf(SearchOutcome o, Map<String, String> idByName, String name) {
    return o.results().stream()
        .filter(r -> name.equals(idByName.get(r.memory().id())))
        .findFirst()
        .orElseThrow()
        .score();
  }
}
