package dev.omem.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.config.OmemConfig;
import dev.omem.domain.ChatModel;
import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchMode;
import dev.omem.domain.SearchOutcome;
import dev.omem.http.OmemHttpServer;
import dev.omem.http.ServeSettings;
import dev.omem.llm.LlmProvider;
import dev.omem.service.Caller;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.RerankedSearch;
import dev.omem.service.SearchRequest;
import dev.omem.service.StoreRequest;
import dev.omem.service.Tenants;
import dev.omem.testing.StandInLlm;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reranked search retrieves once ({@link SearchRequest#candidates}): its plain answer is exactly
 * the plain search's and its candidates exactly a floor-free search's, on a real store (SQLite,
 * Lucene, the ONNX model); and a thin client that reranks with its MCP client's model is the only
 * model asked, though the server behind it (Jetty on loopback) reranks with its LLM: one model per
 * search. The server's LLM is a stand-in on loopback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RerankCandidatesTest {
  private static final List<String> NOTES =
      List.of(
          "Database migrations are Flyway scripts under db/migration; never edit a merged one.",
          "Staging is redeployed every night from the main branch.",
          "Staging is redeployed every night from the main branch.",
          "Rate limiting lives at the API gateway, never in the services themselves.",
          "The team dropped GraphQL in 2025; every new endpoint is plain REST.",
          "The bookings service is written in Kotlin with Spring Boot 3.",
          "Use pnpm, not npm, for the web frontend.",
          "Frontend tests run with Vitest; end-to-end tests use Playwright.",
          "The build server is a self-hosted Buildkite agent pool.",
          "Deploys to production need two approvals in the release channel.",
          "Server 5 hosts note 6; server 6 hosts note 5.",
          "Last Tuesday the staging database ran out of disk space.",
          "The payments service retries webhooks three times with backoff.");
  private static final List<String> QUERIES =
      List.of(
          "how is staging deployed",
          "which package manager for the frontend",
          "database migrations",
          "what happened last Tuesday",
          "kubernetes helm charts");

  @TempDir static Path home;
  @TempDir static Path plainHome;
  private StandInLlm llm;
  private LocalMemoryService local;
  private LocalMemoryService plainLocal;
  private OmemHttpServer server;
  private RemoteMemoryService remote;
  private Caller inProcess;

  @BeforeAll
  void start() throws Exception {
    llm = StandInLlm.start();
    llm.respondWith(r -> StandInLlm.Reply.text("{\"relevant\": [1]}"));
    // The setting comes from the config's environment, not the process's (which has none).
    OmemConfig config =
        new OmemConfig(
            home,
            OmemConfig.DEFAULT_MODEL,
            SearchMode.HYBRID,
            null,
            Map.of("OMEM_RERANK", "llm", "OMEM_API_KEY", "sk-not-printed"));
    assertFalse(config.toString().contains("sk-not-printed"), "a config never prints its env");
    local = LocalMemoryService.open(config, Clock.systemUTC(), llm.settings(LlmProvider.OPENAI));
    assertTrue(local.awaitModel(Duration.ofSeconds(120)), "model loads");
    server =
        OmemHttpServer.start(
            local, local.tenants(), ServeSettings.defaults("127.0.0.1", 0), "rerank-candidates");
    Tenants.NewTenant t = local.tenants().create("rerank");
    inProcess = new Caller(t.id(), null, null, null);
    remote = RemoteMemoryService.connect("http://127.0.0.1:" + server.port(), t.apiKey());
    for (String n : NOTES) {
      local.store(inProcess, StoreRequest.of(n));
    }
    plainLocal = LocalMemoryService.open(new OmemConfig(plainHome, OmemConfig.DEFAULT_MODEL));
    assertTrue(plainLocal.awaitModel(Duration.ofSeconds(120)), "model loads");
    plainLocal.storeAll(PLAIN, NOTES.stream().map(StoreRequest::of).toList());
  }

  @AfterAll
  void stop() {
    remote.close();
    server.close();
    local.close();
    plainLocal.close();
    llm.close();
  }

  /** A service without reranking: its plain search is the pipeline's alone. */
  private static final Caller PLAIN = Caller.local("plain/project");

  private static List<String> ids(List<ScoredMemory> results) {
    return results.stream().map(s -> s.memory().id() + "@" + s.score()).toList();
  }

  @Test
  void oneRetrievalGivesThePlainSearchAndTheFloorFreeCandidates() {
    for (String q : QUERIES) {
      for (Integer limit : new Integer[] {null, 1, 3, 20}) {
        SearchRequest plain =
            SearchRequest.builder(q).limit(limit).countAccess(false).includeTrace(true).build();
        SearchRequest both =
            SearchRequest.Builder.from(plain).candidates(RerankedSearch.CANDIDATES).build();
        SearchOutcome alone = plainLocal.search(PLAIN, plain);
        SearchOutcome once = plainLocal.search(PLAIN, both);
        String at = q + " limit " + limit;
        assertEquals(ids(alone.results()), ids(once.results()), at);
        assertEquals(alone.reason(), once.reason(), at);
        assertEquals(
            alone.trace().stages().stream().map(s -> s.name() + s.outputCount()).toList(),
            once.trace().stages().stream().map(s -> s.name() + s.outputCount()).toList(),
            at);
        assertNull(alone.candidates(), at);
        SearchOutcome floorFree =
            plainLocal.search(
                PLAIN,
                SearchRequest.builder(q)
                    .limit(RerankedSearch.CANDIDATES)
                    .minScore(0.0)
                    .countAccess(false)
                    .build());
        assertEquals(ids(floorFree.results()), ids(once.candidates()), at);
      }
    }
  }

  @Test
  void aThinClientRerankingWithItsClientsModelIsTheOnlyModelAsked() {
    AtomicInteger clientCalls = new AtomicInteger();
    ChatModel client =
        (system, user, maxTokens) -> {
          clientCalls.incrementAndGet();
          return "{\"relevant\": [2, 1]}";
        };
    llm.reset();
    llm.respondWith(r -> StandInLlm.Reply.text("{\"relevant\": [1]}"));
    SearchOutcome out =
        remote.search(
            Caller.local(null),
            SearchRequest.builder("how is staging deployed")
                .countAccess(false)
                .clientModel(client)
                .build());
    assertEquals(1, clientCalls.get(), "the client's model judged the candidates once");
    assertEquals(0, llm.requestCount(), "the server did not rerank them too");
    assertNotNull(out.rerank());
    assertEquals("sampling", out.rerank().by());
    assertTrue(out.rerank().applied(), out.rerank().note());
    assertEquals(2, out.results().size());
    assertNull(out.candidates(), "the candidates stay inside the reranking");

    // Without a client model the server reranks with its LLM, once.
    SearchOutcome served =
        remote.search(
            Caller.local(null),
            SearchRequest.builder("how is staging deployed").countAccess(false).build());
    assertEquals(1, llm.requestCount(), "the server's LLM reranked once");
    assertFalse(served.results().isEmpty());
  }
}
