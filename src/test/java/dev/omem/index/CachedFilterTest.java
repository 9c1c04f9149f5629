package dev.omem.index;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryState;
import dev.omem.store.StoredMemory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search's filter read per segment from the cache ({@link CachedFilter}): the same memories as
 * the filter's postings pass ({@link MemoryIndex#searchVector} still reads those), and never stale.
 */
class CachedFilterTest {
  private static final int DIM = 32;
  private static final MemoryFilter GLOBAL =
      MemoryFilter.builder("t").scopes(Set.of("global")).build();

  @TempDir Path dir;
  private final TestVectors vectors = new TestVectors(DIM, 29);

  @Test
  void aSearchFindsWhatTheFilterPassesAndTakesItFromTheCacheTheSecondTime() throws Exception {
    try (MemoryIndex index = MemoryIndex.open(dir)) {
      float[] query = TestVectors.unit(vectors.randomVector());
      Set<String> passing = new HashSet<>();
      for (int i = 0; i < 30; i++) {
        StoredMemory row = vectors.stored("t", "global", vectors.near(query, 0.2f + i * 0.02f));
        passing.add(row.memory().id());
        index.upsert(row, "m");
        // Nearer than every passing memory, but another scope or another tenant.
        index.upsert(vectors.stored("t", "other", vectors.near(query, 0.01f)), "m");
        index.upsert(vectors.stored("u", "global", vectors.near(query, 0.01f)), "m");
      }
      index.markApplied(90);
      index.refresh();

      List<String> first = ids(index.searchVectorPools(query, List.of(GLOBAL), 10).plain());
      long hits = index.neighbourFilterHits();
      List<String> second = ids(index.searchVectorPools(query, List.of(GLOBAL), 10).plain());
      assertTrue(index.neighbourFilterHits() > hits, "the second search read the postings again");
      assertEquals(first, second);
      assertEquals(ids(index.searchVector(query, List.of(GLOBAL), 10)), second);
      assertEquals(passing, new HashSet<>(ids(index.searchText("fact", List.of(GLOBAL), 100))));
    }
  }

  @Test
  void memoriesArchivedOrDeletedAfterTheFilterWasCachedAreNotFound() throws Exception {
    try (MemoryIndex index = MemoryIndex.open(dir)) {
      float[] query = TestVectors.unit(vectors.randomVector());
      List<StoredMemory> rows = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        StoredMemory row = vectors.stored("t", "global", vectors.near(query, 0.2f + i * 0.02f));
        rows.add(row);
        index.upsert(row, "m");
      }
      index.markApplied(30);
      index.refresh();
      List<String> before = ids(index.searchVectorPools(query, List.of(GLOBAL), 5).plain());
      index.searchText("fact", List.of(GLOBAL), 100);
      String archived = before.get(0);
      String deleted = before.get(1);
      StoredMemory a =
          rows.stream().filter(r -> r.memory().id().equals(archived)).findFirst().get();
      index.upsert(
          new StoredMemory(
              a.memory().toBuilder().state(MemoryState.ARCHIVED).build(), a.vector(), "m"),
          "m");
      index.delete(deleted);
      index.markApplied(32);
      index.refresh(); // the reader shows the writes: the answer comes from the cached filter

      List<String> after = ids(index.searchVectorPools(query, List.of(GLOBAL), 5).plain());
      assertFalse(after.contains(archived), "an archived memory came back from the cache");
      assertFalse(after.contains(deleted), "a deleted memory came back from the cache");
      assertEquals(ids(index.searchVector(query, List.of(GLOBAL), 5)), after);
      List<String> text = ids(index.searchText("fact", List.of(GLOBAL), 100));
      assertEquals(28, text.size());
      assertFalse(text.contains(archived) || text.contains(deleted), "BM25 found a gone memory");
    }
  }

  private static List<String> ids(List<IndexHit> hits) {
    return hits.stream().map(IndexHit::id).toList();
  }
}
