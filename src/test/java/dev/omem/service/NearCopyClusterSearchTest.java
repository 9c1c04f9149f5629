package dev.omem.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.config.OmemConfig;
import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store that is mostly one dense cluster of near-copies about a service (the paraphrase store's
 * template sentences, issue 19), with the real model, SQLite store and Lucene index: a distinct
 * fact about the same service that shares no word with the question and whose plain cosine is below
 * every copy's (so neither BM25 nor the plain vector search's top 100 has it) must still come
 * first, through the vector retriever's second list, the query centred on the store's mean vector.
 * Asked with the service's default limit (10), as an agent asks: the relevance window (3 × the
 * limit, at least 50) is cut from the fused order, so the fact must be placed there by its place in
 * the centred list, not by its plain cosine, which put it below all 100 plain hits (session 14:
 * this test then needed limit 50; BENCHMARKS.md, session 15).
 */
class NearCopyClusterSearchTest {
  @TempDir Path home;

  @Test
  void aDistinctFactOutranksAClusterOfNearCopies() {
    try (LocalMemoryService svc =
        LocalMemoryService.open(
            new OmemConfig(home, OmemConfig.DEFAULT_MODEL, SearchMode.HYBRID))) {
      assertTrue(svc.awaitModel(Duration.ofMinutes(5)), "the model loads");
      Caller me = Caller.local("github.com/acme/alpha");
      String[] deps = {"S3", "Redis", "Kafka", "Postgres", "DynamoDB"};
      List<StoreRequest> copies = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        copies.add(
            StoreRequest.of(
                "The payments service depends on "
                    + deps[i % 5]
                    + " (ticket "
                    + (24000 + 37 * i)
                    + ")"));
      }
      svc.storeAll(me, copies);
      String fact =
          svc.storeAll(me, List.of(StoreRequest.of("Invoicing is implemented in Rust")))
              .get(0)
              .id();

      List<ScoredMemory> results =
          svc.search(
                  me,
                  SearchRequest.builder("what language is the payments code written in?")
                      .minScore(0.0)
                      .countAccess(false)
                      .build())
              .results();
      assertEquals(fact, results.get(0).memory().id(), "the fact first, not a copy");
    }
  }
}
