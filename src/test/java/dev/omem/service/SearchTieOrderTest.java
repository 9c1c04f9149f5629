package dev.omem.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.omem.config.OmemConfig;
import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two stores filled with the same memories answer a search with the same ranking, equal scores
 * included: they come in the order the memories were stored. Ties were broken by the memories' ids,
 * random UUIDs, so each store ordered them its own way (LoCoMo dev on a fixed clock: two runs of
 * one build ranked 110 of 304 questions differently). Twenty notes alike but for a number score
 * exactly alike for the query (same BM25, same features), in BM25 mode, where nothing else tells
 * them apart.
 */
class SearchTieOrderTest {
  @TempDir Path first;
  @TempDir Path second;

  @Test
  void equalScoresComeInTheOrderTheMemoriesWereStored() {
    List<String> notes = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      notes.add("Deploy window note " + i + ": the release train leaves on friday.");
    }
    List<ScoredMemory> a = rank(first, notes);
    List<ScoredMemory> b = rank(second, notes);
    assertEquals(20, a.size());
    assertEquals(1, a.stream().map(ScoredMemory::score).distinct().count(), "all tied");
    assertEquals(notes, a.stream().map(r -> r.memory().content()).toList());
    assertEquals(notes, b.stream().map(r -> r.memory().content()).toList());
  }

  private static List<ScoredMemory> rank(Path home, List<String> notes) {
    Caller caller = Caller.local("tie/project");
    try (LocalMemoryService svc =
        LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL, SearchMode.BM25))) {
      svc.storeAll(caller, notes.stream().map(StoreRequest::of).toList());
      return svc.search(
              caller,
              SearchRequest.builder("when does the release train leave")
                  .limit(20)
                  .minScore(0.0)
                  .countAccess(false)
                  .build())
          .results();
    }
  }
}
