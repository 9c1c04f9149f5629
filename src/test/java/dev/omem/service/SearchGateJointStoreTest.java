package dev.omem.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.config.OmemConfig;
import dev.omem.domain.Memory;
import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchOutcome;
import dev.omem.retrieve.SearchGate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session 22 (issue 13, docs/relevance/threshold-rule.md "a joint answer/abstain model"): a default
 * {@code memory_search} is answered or refused by the joint model over the query's style and its
 * candidates' evidence. On a real store (service, SQLite, Lucene, the shipped model): a statement
 * whose near answer is stored is answered with that memory; an unrelated one gets the empty result
 * and the gate's one-line reason.
 */
class SearchGateJointStoreTest {
  @TempDir Path home;

  /** Statements (not questions) restating one stored fact each, in other words. */
  private static final Map<String, Integer> STATEMENTS =
      Map.of(
          "Migrations are Flyway scripts and a merged migration is never edited.", 0,
          "Rate limits are enforced by Kong at the gateway.", 2,
          "Staging gets redeployed from main every night.", 3,
          "Secrets are loaded from Vault when the service starts.", 9,
          "our gateway does the rate limiting, not the services", 2);

  private static final List<String> UNRELATED =
      List.of(
          "The cafeteria serves lasagna on Fridays.",
          "My cat sleeps on the keyboard.",
          "what is a good recipe for banana bread?");

  @Test
  void aStatementWithItsAnswerStoredIsAnsweredAndAnUnrelatedOneIsNot() {
    assertNotNull(SearchGate.shipped().joint(), "the shipped decision is the joint model");
    try (LocalMemoryService svc =
        LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL))) {
      assertTrue(svc.awaitModel(Duration.ofSeconds(120)), "model loads");
      Caller c = Caller.local("acme/bookings");
      List<Memory> stored = new ArrayList<>();
      SearchWithoutVectorsTest.FACTS.forEach(
          f -> stored.add(svc.store(c, new StoreRequest(f, null, null, null, "project", null))));
      assertTrue(stored.size() >= SearchGate.shipped().minCandidates(), "the gate decides here");
      STATEMENTS.forEach(
          (q, fact) -> {
            SearchOutcome out = svc.search(c, SearchRequest.of(q));
            List<String> ids =
                out.results().stream().map(ScoredMemory::memory).map(Memory::id).toList();
            assertTrue(ids.contains(stored.get(fact).id()), "\"" + q + "\": " + out.reason());
          });
      for (String q : UNRELATED) {
        SearchOutcome out = svc.search(c, SearchRequest.of(q));
        assertEquals(List.of(), out.results(), "\"" + q + "\"");
        assertEquals(SearchGate.CLOSED, out.reason(), "\"" + q + "\"");
        assertFalse(out.reason().contains("\n"));
      }
    }
  }
}
