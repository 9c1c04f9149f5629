package dev.omem.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.config.OmemConfig;
import dev.omem.domain.Memory;
import dev.omem.domain.SearchOutcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A default {@code memory_search} while there are no vectors (the embedding model still loading, or
 * failed to load): the real service, store and Lucene index, BM25 only. Session 9 saw a search for
 * a memory's own words come back empty then, and before this change any query sharing one word with
 * a memory got it at score 1.0 (BM25's best hit, normalised): the floor was on a score calibrated
 * for vectors. Now the model without vectors (RelevanceModel.WITHOUT_VECTORS, fitted by
 * scripts/fit-relevance --without-vectors) scores, on the default floor's scale.
 */
class SearchWithoutVectorsTest {
  @TempDir Path home;

  /** A small project's twelve memories (also SearchGateSmallStoreTest's); check() adds 20 alike. */
  static final List<String> FACTS =
      List.of(
          "Database migrations are Flyway scripts under db/migration; never edit a merged one.",
          "The bookings service talks to Postgres 15 through HikariCP with a pool of 20.",
          "Rate limiting lives at the API gateway (Kong), not in the services.",
          "Staging is redeployed every night from main by the nightly-deploy workflow.",
          "We dropped GraphQL in 2024; every new endpoint is REST under /api/v2.",
          "Run the unit tests with ./gradlew test --offline; integration tests need Docker.",
          "Feature flags are read from LaunchDarkly through FlagClient.isEnabled(flagKey).",
          "Logs go to stdout as JSON; Datadog picks them up from the pod.",
          "The frontend is React 18 with Vite; components live in web/src/components.",
          "Secrets come from Vault at startup via the VAULT_ADDR and VAULT_ROLE variables.",
          "Use snake_case for database columns and camelCase in the Java entities.",
          "Release tags look like v2.14.3 and are cut from the release/ branches.");

  /** Prompts nothing stored answers, though most share a word with some memory. */
  private static final List<String> UNRELATED =
      List.of(
          "What is the capital of France?",
          "write me a haiku about autumn leaves",
          "explain how a hash map works in general",
          "which public pool is best for swimming laps in summer?",
          "draw the night sky with all its stars",
          "how old is the oldest tree in every country",
          "recommend a good book about the history of tags and labels in libraries");

  @Test
  void whileTheModelLoadsAMemorysOwnWordsFindItAndUnrelatedPromptsGetNothing() {
    // A failed load leaves the same state (EmbeddingProvider.ifReady() empty): the same path.
    CompletableFuture<Void> never = new CompletableFuture<>(); // the model never loads here
    try (LocalMemoryService svc =
        LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL), never)) {
      check(svc);
    }
  }

  private static void check(LocalMemoryService svc) {
    Caller caller = Caller.local("acme/bookings");
    List<Memory> stored = new ArrayList<>();
    FACTS.forEach(f -> stored.add(svc.store(caller, StoreRequest.of(f))));
    for (int i = 0; i < 20; i++) {
      stored.add(
          svc.store(
              caller,
              StoreRequest.of("Deploy note " + i + ": the kiwi cluster rotates its certs")));
    }
    for (Memory m : stored) {
      SearchOutcome out = svc.search(caller, withTrace(m.content()));
      assertEquals("bm25", out.trace().mode(), "no vectors in this test");
      assertFalse(out.results().isEmpty(), "its own words find it: " + m.content());
      assertEquals(m.id(), out.results().get(0).memory().id(), m.content());
      assertTrue(
          out.results().get(0).score() >= Limits.defaultMinScore(), "it passed the default floor");
      assertNull(out.reason());
    }
    int sharingAWord = 0;
    for (String q : UNRELATED) {
      SearchOutcome out = svc.search(caller, withTrace(q));
      // BM25 found candidates: before this change the best of them scored 1.0 and was returned
      sharingAWord += bm25Candidates(out) > 0 ? 1 : 0;
      assertEquals(List.of(), out.results(), q);
      assertNotNull(out.reason(), "an empty answer says why: " + q);
      assertTrue(out.reason().startsWith("Nothing relevant"), out.reason());
      // and min_score 0 still gives the closest matches, however unrelated
      assertEquals(
          bm25Candidates(out) > 0,
          !svc.search(caller, SearchRequest.builder(q).minScore(0.0).build()).results().isEmpty());
    }
    assertTrue(sharingAWord >= 3, "most unrelated prompts share a word with a memory");
  }

  private static int bm25Candidates(SearchOutcome out) {
    return out.trace().stages().stream()
        .filter(s -> s.name().equals("bm25"))
        .findFirst()
        .orElseThrow()
        .outputCount();
  }

  private static SearchRequest withTrace(String q) {
    return SearchRequest.builder(q).includeTrace(true).build();
  }
}
