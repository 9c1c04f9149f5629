package dev.omem.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.omem.config.OmemConfig;
import dev.omem.domain.Memory;
import dev.omem.domain.SearchOutcome;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Why the MCP both-ways test's access counts differed by 1-5 between modes (session 8): its wait
 * for the model polled {@code memory_search("build", min_score 1)}, believing that nothing passes a
 * floor of 1. While the model loads a search is BM25 only, and its best hit's normalised score is
 * exactly 1.0: it passes, and each poll counted an access, as many times as each mode polled. The
 * poll now asks for a word no memory holds (src/test/node/mcp-both-ways-e2e.mjs), which counts
 * nothing in either state of the model. Since session 10 a search without vectors is scored by the
 * relevance model without vectors (SearchWithoutVectorsTest), below 1: the old poll passes no more
 * either, and counts nothing.
 */
class PollingWhileModelLoadsTest {
  @TempDir Path home;

  @Test
  void aPollForTheModelCountsNoAccessWhileTheModelLoads() {
    CompletableFuture<Void> never = new CompletableFuture<>(); // the model never loads here
    try (LocalMemoryService svc =
        LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL), never)) {
      Caller caller = Caller.local("acme/widgets");
      Memory build =
          svc.store(caller, StoreRequest.of("Build the project with ./gradlew build --offline"));
      svc.store(caller, StoreRequest.of("The staging database is Postgres 15 on db-staging."));

      SearchOutcome old = svc.search(caller, poll("build"));
      assertEquals("bm25", old.trace().mode());
      assertEquals(List.of(), old.results(), "a relevance without vectors stays below 1");
      assertEquals(
          List.of(build.id()),
          svc
              .search(caller, SearchRequest.builder("build").minScore(0.0).scope("all").build())
              .results()
              .stream()
              .map(s -> s.memory().id())
              .toList(),
          "BM25 finds it");
      SearchOutcome now = svc.search(caller, poll("zyzzogeton"));
      assertEquals(List.of(), now.results());

      svc.stats(caller); // waits for the accesses already answered
      assertEquals(
          1, accesses(svc, caller, build.id()), "only the search that returned it counted");
    }
  }

  private static SearchRequest poll(String query) {
    return SearchRequest.builder(query).minScore(1.0).includeTrace(true).scope("all").build();
  }

  private static long accesses(LocalMemoryService svc, Caller caller, String id) {
    return svc.list(caller, ListRequest.builder().scope("all").build()).memories().stream()
        .filter(m -> m.id().equals(id))
        .mapToLong(Memory::accessCount)
        .sum();
  }
}
