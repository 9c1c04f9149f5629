package dev.omem.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.config.OmemConfig;
import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchOutcome;
import dev.omem.retrieve.SearchGate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code memory_search} naming no {@code min_score} (session 19,
 * docs/relevance/threshold-rule.md): the search gate may add answers to the shipped floor's, never
 * take one away. Session 18's gate alone closed plain questions in stores of three and five
 * memories that the floor answers. The real service, store, index and model, on a store of three
 * memories and one of twelve.
 */
class SearchGateSmallStoreTest {
  @TempDir Path home;

  private static final List<String> FIRST_DAY =
      List.of(
          "I prefer tabs over spaces for indentation",
          "The orders service keeps its data in PostgreSQL 15",
          "Release tags look like v2.14.3 and are cut from the release/ branches.");

  /** A project's twelve memories: the same as the search without vectors reads. */
  private static final List<String> PROJECT = SearchWithoutVectorsTest.FACTS;

  private static final List<String> QUERIES =
      List.of(
          "indentation style",
          "which database do the orders use",
          "how do I cut a release",
          "add a new column to the bookings table",
          "a partner says they get 429 errors",
          "when does staging get the latest main?",
          "where do the logs go",
          "what is the capital of France?",
          "write me a haiku about autumn leaves");

  private static final List<String> UNRELATED =
      List.of("what is a good recipe for banana bread?", "write me a haiku about autumn leaves");

  @Test
  void aFewMemoriesAreSearchedUnderTheShippedFloorAndMoreUnderTheGate() {
    try (LocalMemoryService svc =
        LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL))) {
      assertTrue(svc.awaitModel(Duration.ofSeconds(120)), "model loads");
      assertTrue(FIRST_DAY.size() < SearchGate.shipped().minCandidates(), "below the gate");
      Caller small = Caller.local("first-day");
      FIRST_DAY.forEach(
          f -> svc.store(small, new StoreRequest(f, null, null, null, "project", null)));
      Caller big = Caller.local("acme/bookings");
      PROJECT.forEach(f -> svc.store(big, new StoreRequest(f, null, null, null, "project", null)));
      for (String q : QUERIES) {
        SearchOutcome byDefault = svc.search(small, withTrace(q, null));
        SearchOutcome byFloor = svc.search(small, withTrace(q, Limits.defaultMinScore()));
        assertEquals(ids(byFloor), ids(byDefault), "\"" + q + "\"");
        assertEquals(
            scores(byFloor), scores(byDefault), "\"" + q + "\": the same scores, the product's");
      }
      assertFalse(
          ids(svc.search(small, SearchRequest.of("indentation style"))).isEmpty(),
          "the preference answers a terse question about it");
      for (String q : UNRELATED) {
        for (Caller c : List.of(small, big)) {
          SearchOutcome none = svc.search(c, SearchRequest.of(q));
          assertEquals(List.of(), none.results(), c.project() + " \"" + q + "\"");
          assertTrue(none.reason().startsWith("Nothing relevant: "), none.reason());
          assertFalse(none.reason().contains("\n"));
        }
      }
      // The twelve-memory store is read by the gate (its trace names it when it closes).
      SearchOutcome closed =
          svc.search(big, withTrace("what is a good recipe for banana bread?", null));
      assertTrue(closed.reason().contains("search gate"), closed.reason());
    }
  }

  private static SearchRequest withTrace(String q, Double minScore) {
    return SearchRequest.builder(q).minScore(minScore).includeTrace(true).build();
  }

  private static List<Double> scores(SearchOutcome out) {
    return out.results().stream().map(ScoredMemory::score).toList();
  }

  private static List<String> ids(SearchOutcome out) {
    return out.results().stream().map(ScoredMemory::memory).map(m -> m.id()).toList();
  }
}
