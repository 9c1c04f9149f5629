package dev.omem.index;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryState;
import dev.omem.store.StoredMemory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The neighbour check's filter, cached per segment: reused, and never stale. */
class NeighbourFilterCacheTest {
  private static final int DIM = 32;
  private static final MemoryFilter GLOBAL =
      MemoryFilter.builder("t").scopes(Set.of("global")).build();

  @TempDir Path dir;
  private final TestVectors vectors = new TestVectors(DIM, 23);

  @Test
  void aSecondCheckTakesTheFilterFromTheCache() throws Exception {
    try (MemoryIndex index = MemoryIndex.open(dir)) {
      float[] query = TestVectors.unit(vectors.randomVector());
      for (int i = 0; i < 30; i++) {
        index.upsert(vectors.stored("t", "global", vectors.near(query, 0.5f)), "m");
      }
      index.markApplied(30);
      index.refresh();
      index.searchVectorUnread(query, List.of(GLOBAL), 5);
      long first = index.neighbourFilterHits();
      // A small segment (Lucene's own cache skips those under 10,000 documents).
      index.searchVectorUnread(vectors.near(query, 0.3f), List.of(GLOBAL), 5);
      assertTrue(index.neighbourFilterHits() > first, "the second check read the postings again");
    }
  }

  @Test
  void memoriesArchivedOrDeletedAfterTheFilterWasCachedAreNoNeighbours() throws Exception {
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
      List<IndexHit> before = index.searchVectorUnread(query, List.of(GLOBAL), 5);
      String archived = before.get(0).id();
      String deleted = before.get(1).id();
      StoredMemory a =
          rows.stream().filter(r -> r.memory().id().equals(archived)).findFirst().get();
      index.upsert(
          new StoredMemory(
              a.memory().toBuilder().state(MemoryState.ARCHIVED).build(), a.vector(), "m"),
          "m");
      index.delete(deleted);
      StoredMemory added = vectors.stored("t", "global", vectors.near(query, 0.01f));
      index.upsert(added, "m");
      index.markApplied(33);
      index.refresh(); // the reader shows the writes: the answer comes from the cached filter alone

      List<String> after = ids(index.searchVectorUnread(query, List.of(GLOBAL), 5));
      assertFalse(after.contains(archived), "an archived memory came back from the cache");
      assertFalse(after.contains(deleted), "a deleted memory came back from the cache");
      assertEquals(added.memory().id(), after.get(0));
      assertEquals(ids(index.searchVector(query, List.of(GLOBAL), 5)), after);
    }
  }

  @Test
  void aDeletionAfterTheSetWasCutByEarlierOnesIsTakenOutToo() throws Exception {
    try (MemoryIndex index = MemoryIndex.open(dir)) {
      float[] query = TestVectors.unit(vectors.randomVector());
      for (int i = 0; i < 30; i++) {
        index.upsert(vectors.stored("t", "global", vectors.near(query, 0.2f + i * 0.02f)), "m");
      }
      index.markApplied(30);
      index.refresh();
      long seq = 30;
      // Each round deletes the nearest from the one segment, whose set was cut by the rounds
      // before: a set kept by segment alone, or cut once, would bring the deleted back.
      for (int round = 0; round < 4; round++) {
        String nearest = index.searchVectorUnread(query, List.of(GLOBAL), 5).get(0).id();
        index.delete(nearest);
        index.markApplied(++seq);
        index.refresh();
        List<String> after = ids(index.searchVectorUnread(query, List.of(GLOBAL), 5));
        assertFalse(after.contains(nearest), "round " + round + ": a deleted memory came back");
        assertEquals(ids(index.searchVector(query, List.of(GLOBAL), 5)), after, "round " + round);
      }
    }
  }

  @Test
  void checksOnAReaderWhoseDeletionsDidNotChangeCopyNoSet() throws Exception {
    try (MemoryIndex index = MemoryIndex.open(dir)) {
      float[] query = TestVectors.unit(vectors.randomVector());
      List<StoredMemory> rows = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        StoredMemory row = vectors.stored("t", "global", vectors.near(query, 0.5f));
        rows.add(row);
        index.upsert(row, "m");
      }
      index.markApplied(30);
      index.refresh();
      index.delete(rows.get(3).memory().id());
      index.markApplied(31);
      index.refresh();
      index.searchVectorUnread(query, List.of(GLOBAL), 5);
      long cuts = index.neighbourFilterCuts();
      assertTrue(cuts > 0, "the segment with a deletion was never cut");
      for (int i = 0; i < 5; i++) {
        index.searchVectorUnread(vectors.near(query, 0.3f), List.of(GLOBAL), 5);
      }
      assertEquals(cuts, index.neighbourFilterCuts(), "the filter was copied again per check");
    }
  }

  @Test
  void equalFiltersBuiltPerCheckShareOneInstanceSoEverySegmentComparesByReference() {
    NeighbourFilterCache cache = new NeighbourFilterCache();
    org.apache.lucene.search.Query first = LuceneFilters.anyOf(List.of(GLOBAL));
    org.apache.lucene.search.Query again = LuceneFilters.anyOf(List.of(GLOBAL));
    assertNotSame(first, again);
    assertSame(first, cache.canonical(first));
    assertSame(first, cache.canonical(again), "an equal filter got an instance of its own");
    org.apache.lucene.search.Query other =
        LuceneFilters.anyOf(List.of(MemoryFilter.builder("t").scopes(Set.of("project:x")).build()));
    assertSame(other, cache.canonical(other), "another filter was taken for this one");
  }

  @Test
  void aStoresFilterQueryIsBuiltOnceAndAnotherFilterGetsItsOwn() {
    NeighbourFilterCache cache = new NeighbourFilterCache();
    MemoryFilter same = MemoryFilter.builder("t").scopes(Set.of("global")).build();
    org.apache.lucene.search.Query q = cache.queryOf(List.of(GLOBAL));
    assertEquals(LuceneFilters.anyOf(List.of(GLOBAL)), q);
    assertSame(q, cache.queryOf(List.of(same)), "an equal filter's query was built again");
    MemoryFilter other = MemoryFilter.builder("t").scopes(Set.of("project:x")).build();
    assertEquals(LuceneFilters.anyOf(List.of(other)), cache.queryOf(List.of(other)));
  }

  private static List<String> ids(List<IndexHit> hits) {
    return hits.stream().map(IndexHit::id).toList();
  }
}
