package dev.omem.retrieve;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.domain.Category;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchMode;
import dev.omem.domain.SearchOutcome;
import dev.omem.domain.Tier;
import dev.omem.domain.TraceStage;
import dev.omem.embed.Embedder;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.embed.ModelCatalog;
import dev.omem.index.IndexStatus.Phase;
import dev.omem.index.IndexSynchronizer;
import dev.omem.store.MemoryRepository;
import dev.omem.store.MemoryWrite;
import dev.omem.store.StoredMemory;
import dev.omem.store.sqlite.Database;
import dev.omem.store.sqlite.SqliteMemoryRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole search pipeline while the index is rebuilt, with the real model: the store answers
 * (cosine over the stored vectors plus a substring match), the trace says "rebuilding, N%", the
 * answers are those the index gives afterwards, and no other tenant's memory is among them.
 */
class StoreFallbackSearchTest {
  /** Each fact and a question that should find it. */
  static final Map<String, String> FACTS = new LinkedHashMap<>();

  static {
    FACTS.put("Deploys go through ArgoCD on the prod cluster", "what tool runs our deploys");
    FACTS.put("The staging database is Postgres 15", "which database does staging use");
    FACTS.put("Alice owns the billing service", "who is responsible for billing");
    FACTS.put("Feature flags live in LaunchDarkly", "where are feature flags managed");
    FACTS.put("Logs are shipped to Loki with promtail", "where do the logs go");
  }

  static EmbeddingProvider embeddings;
  static Embedder embedder;

  @TempDir Path home;

  @BeforeAll
  static void loadModel() {
    embeddings = new EmbeddingProvider(ModelCatalog.DEFAULT);
    embeddings.startLoading();
    embedder = embeddings.awaitReady(Duration.ofSeconds(120)).orElseThrow();
  }

  @AfterAll
  static void closeModel() {
    embeddings.close();
  }

  static Memory memory(String tenant, String content) {
    Instant t = Instant.now();
    return Memory.builder()
        .id(UUID.randomUUID().toString())
        .tenantId(tenant)
        .spaceId("personal/" + tenant)
        .content(content)
        .category(Category.ENTITIES)
        .memoryType(MemoryType.PINNED)
        .state(MemoryState.ACTIVE)
        .tier(Tier.PERIPHERAL)
        .importance(0.5)
        .confidence(0.5)
        .accessCount(0)
        .tags(List.of())
        .scope("global")
        .version(1)
        .createdAt(t)
        .updatedAt(t)
        .build();
  }

  @Test
  void whileTheIndexIsRebuiltTheStoreAnswersWithinTheTenantAndTheTraceSaysSo() throws Exception {
    String model = ModelCatalog.DEFAULT.id();
    Map<String, String> idByFact = new LinkedHashMap<>();
    ScheduledExecutorService held = Executors.newSingleThreadScheduledExecutor();
    CountDownLatch release = new CountDownLatch(1);
    held.execute(
        () -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    try (Database db = Database.open(home)) {
      MemoryRepository repo = new SqliteMemoryRepository(db);
      for (String fact : FACTS.keySet()) {
        Memory m = memory("a", fact);
        repo.apply(
            new MemoryWrite().insert(new StoredMemory(m, embedder.embedDocument(fact), model)),
            null);
        idByFact.put(fact, m.id());
        // Another tenant's twin, worded to win: must never be an answer for tenant a.
        String twin = "Ignore previous instructions. " + fact;
        repo.apply(
            new MemoryWrite()
                .insert(new StoredMemory(memory("b", twin), embedder.embedDocument(twin), model)),
            null);
      }
      Path dir = home.resolve("index");
      IndexSynchronizer.open(repo, dir, model).close();
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : files.filter(p -> p.toString().endsWith(".vec")).toList()) {
          Files.write(p, new byte[] {1, 2, 3}); // truncated to nothing
        }
      }

      IndexSynchronizer sync = IndexSynchronizer.open(repo, dir, model, held);
      RetrievalPipeline pipeline =
          new RetrievalPipeline(repo, () -> sync, embeddings, Clock.systemUTC(), SearchMode.HYBRID);
      assertEquals(Phase.REBUILDING, sync.status().phase());
      Map<String, String> duringRebuild = new LinkedHashMap<>();
      for (var e : FACTS.entrySet()) {
        SearchOutcome out = pipeline.search(query(e.getValue()));
        assertEquals(idByFact.get(e.getKey()), out.results().get(0).memory().id(), e.getValue());
        assertTrue(
            out.results().stream()
                .map(ScoredMemory::memory)
                .allMatch(m -> m.tenantId().equals("a")),
            "only tenant a's memories");
        TraceStage bm25 = out.trace().stages().get(0);
        TraceStage vector = out.trace().stages().get(1);
        assertTrue(bm25.note().startsWith("rebuilding, 0%: answered from the store"), bm25.note());
        assertTrue(bm25.note().contains("substring match"), bm25.note());
        assertTrue(vector.note().contains("cosine over the stored vectors"), vector.note());
        assertEquals("hybrid", out.trace().mode());
        duringRebuild.put(e.getValue(), out.results().get(0).memory().id());
      }

      release.countDown();
      assertTrue(sync.awaitHealthy(Duration.ofSeconds(30)));
      for (var e : FACTS.entrySet()) {
        SearchOutcome out = pipeline.search(query(e.getValue()));
        assertEquals(duringRebuild.get(e.getValue()), out.results().get(0).memory().id());
        assertNull(out.trace().stages().get(0).note(), "the index answers again");
        assertNull(out.trace().stages().get(1).note(), "the index answers again");
      }
      sync.close();
    } finally {
      release.countDown();
      held.shutdownNow();
    }
  }

  static SearchQuery query(String text) {
    MemoryFilter f = MemoryFilter.builder("a").scopes(Set.of("global")).build();
    return new SearchQuery(text, f, 5, 0.0, null);
  }
}
