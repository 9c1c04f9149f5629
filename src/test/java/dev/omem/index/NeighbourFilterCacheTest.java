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

  /**
   * A team's server: every tenant's check over every segment. The cache held 256 sets, so 50
   * tenants over six segments (300 sets) read every segment's postings again on the second round
   * (LRU in a cycle larger than the cache never hits).
   */
  @Test
  void aTeamsTenantsOverManySegmentsAreReadOnceEach() throws Exception {
    int tenants = 50;
    int segments = 6;
    try (MemoryIndex index = MemoryIndex.open(dir)) {
      float[] query = TestVectors.unit(vectors.randomVector());
      int seq = 0;
      for (int s = 0; s < segments; s++) {
        for (int t = 0; t < tenants; t++) {
          index.upsert(vectors.stored("t" + t, "global", vectors.near(query, 0.5f)), "m");
        }
        index.markApplied(seq += tenants);
        index.refresh(); // one flushed segment per round of writes
      }
      List<List<MemoryFilter>> filters = new ArrayList<>();
      for (int t = 0; t < tenants; t++) {
        filters.add(List.of(MemoryFilter.builder("t" + t).scopes(Set.of("global")).build()));
      }
      for (List<MemoryFilter> f : filters) {
        assertEquals(5, index.searchVectorUnread(query, f, 5).size());
      }
      long reads = index.neighbourFilterReads();
      assertTrue(reads >= tenants, "the first round read no postings: " + reads);
      for (List<MemoryFilter> f : filters) {
        List<IndexHit> hits = index.searchVectorUnread(vectors.near(query, 0.3f), f, 5);
        assertEquals(5, hits.size());
        String tenant = f.get(0).tenantId();
        assertTrue(
            hits.stream().allMatch(h -> h.id() != null), "a check answered without ids: " + tenant);
      }
      assertEquals(
          reads,
          index.neighbourFilterReads(),
          "the second round read postings again: the cache did not hold a team's filters");
    }
  }

  @Test
  void theLeastRecentlyUsedSetsGoWhenTheCacheIsOverItsBitBudget() throws Exception {
    // One segment of 10 documents: each filter's set is 10 bits, and the budget holds three.
    NeighbourFilterCache cache = new NeighbourFilterCache(30, 100);
    try (var directory = new org.apache.lucene.store.ByteBuffersDirectory()) {
      try (var w =
          new org.apache.lucene.index.IndexWriter(
              directory, new org.apache.lucene.index.IndexWriterConfig())) {
        for (int i = 0; i < 10; i++) {
          var doc = new org.apache.lucene.document.Document();
          doc.add(
              new org.apache.lucene.document.StringField(
                  "f", "v" + (i % 5), org.apache.lucene.document.Field.Store.NO));
          w.addDocument(doc);
        }
      }
      try (var reader = org.apache.lucene.index.DirectoryReader.open(directory)) {
        var leaf = reader.leaves().get(0);
        List<org.apache.lucene.search.Query> filters = new ArrayList<>();
        for (int f = 0; f < 5; f++) {
          filters.add(
              new org.apache.lucene.search.TermQuery(
                  new org.apache.lucene.index.Term("f", "v" + f)));
        }
        for (org.apache.lucene.search.Query q : filters) {
          assertEquals(2, cache.accepted(leaf, q).count());
        }
        assertEquals(3, cache.size(), "the sets past the budget were kept");
        assertEquals(5, cache.reads());
        cache.accepted(leaf, filters.get(4)); // kept: the most recent
        assertEquals(5, cache.reads(), "a kept set was read again");
        cache.accepted(leaf, filters.get(0)); // dropped: the oldest
        assertEquals(6, cache.reads(), "a set past the budget was still kept");
        assertEquals(3, cache.size());
      }
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
