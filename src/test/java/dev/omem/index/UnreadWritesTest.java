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

/**
 * A store's neighbour check on a real Lucene index answers as a reopened reader would, without
 * reopening: the reader as it is, with the writes it does not show laid over it.
 */
class UnreadWritesTest {
  private static final int DIM = 32;
  private static final MemoryFilter GLOBAL =
      MemoryFilter.builder("t").scopes(Set.of("global")).build();

  @TempDir Path dir;
  private final TestVectors vectors = new TestVectors(DIM, 19);

  @Test
  void neighboursWithoutReopenEqualNeighboursAfterReopen() throws Exception {
    try (MemoryIndex index = MemoryIndex.open(dir)) {
      float[] query = TestVectors.unit(vectors.randomVector());
      List<StoredMemory> rows = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        StoredMemory row = vectors.stored("t", "global", vectors.near(query, 0.3f + i * 0.01f));
        rows.add(row);
        index.upsert(row, "m");
      }
      index.markApplied(60);
      List<IndexHit> before = index.searchVector(query, List.of(GLOBAL), 10);
      assertTrue(index.readerCurrent());

      // Writes the reader does not show: a new close memory, one deleted outright, one archived,
      // one moved closer, and close ones the filter must leave out (other tenant, other scope).
      StoredMemory added = vectors.stored("t", "global", vectors.near(query, 0.02f));
      index.upsert(added, "m");
      String deleted = before.get(0).id();
      index.delete(deleted);
      StoredMemory archived = row(rows, before.get(1).id());
      index.upsert(
          new StoredMemory(
              archived.memory().toBuilder().state(MemoryState.ARCHIVED).build(),
              archived.vector(),
              "m"),
          "m");
      StoredMemory far = rows.get(0);
      float[] closer = vectors.near(query, 0.05f);
      index.upsert(new StoredMemory(far.memory(), closer, "m"), "m");
      index.upsert(vectors.stored("other", "global", vectors.near(query, 0.01f)), "m");
      index.upsert(vectors.stored("t", "project:x", vectors.near(query, 0.01f)), "m");
      index.markApplied(66);

      List<IndexHit> unread = index.searchVectorUnread(query, List.of(GLOBAL), 10);
      assertFalse(index.readerCurrent(), "the neighbour check did not reopen the reader");
      List<IndexHit> reopened = index.searchVector(query, List.of(GLOBAL), 10);
      assertTrue(index.readerCurrent());

      assertEquals(ids(reopened), ids(unread));
      for (int i = 0; i < unread.size(); i++) {
        assertEquals(reopened.get(i).score(), unread.get(i).score(), 1e-4);
      }
      assertEquals(added.memory().id(), unread.get(0).id());
      assertEquals(far.memory().id(), unread.get(1).id());
      assertFalse(ids(unread).contains(deleted));
      assertFalse(ids(unread).contains(archived.memory().id()));
      assertEquals(10, unread.size());
    }
  }

  /**
   * A check takes no lock (issue 19, session 11): reopens that other threads' searches run at the
   * same time must never make it lose a write the reader it used does not show. Each check looks
   * for the write just made (its own vector, cosine 1), while a second thread reopens the reader as
   * fast as it can.
   */
  @Test
  void checksBesideReopensAlwaysSeeTheWriteJustMade() throws Exception {
    try (MemoryIndex index = MemoryIndex.open(dir)) {
      float[] base = TestVectors.unit(vectors.randomVector());
      for (int i = 0; i < 50; i++) {
        index.upsert(vectors.stored("t", "global", vectors.near(base, 0.5f)), "m");
      }
      index.markApplied(50);
      java.util.concurrent.atomic.AtomicBoolean done =
          new java.util.concurrent.atomic.AtomicBoolean();
      Thread reopener =
          new Thread(
              () -> {
                while (!done.get()) {
                  index.searchVector(base, List.of(GLOBAL), 3);
                }
              });
      reopener.start();
      try {
        for (int i = 0; i < 300; i++) {
          StoredMemory row =
              vectors.stored("t", "global", TestVectors.unit(vectors.randomVector()));
          index.upsert(row, "m");
          index.markApplied(51 + i);
          List<IndexHit> hits = index.searchVectorUnread(row.vector(), List.of(GLOBAL), 3);
          assertEquals(row.memory().id(), hits.get(0).id(), "write " + i + " was missed");
        }
      } finally {
        done.set(true);
        reopener.join();
      }
    }
  }

  @Test
  void tooManyUnreadWritesReopenOnce() throws Exception {
    try (MemoryIndex index = MemoryIndex.open(dir)) {
      float[] query = TestVectors.unit(vectors.randomVector());
      for (int i = 0; i <= UnreadWrites.MAX; i++) {
        index.upsert(vectors.stored("t", "global", vectors.near(query, 0.5f)), "m");
      }
      index.markApplied(UnreadWrites.MAX + 1);
      assertEquals(5, index.searchVectorUnread(query, List.of(GLOBAL), 5).size());
      assertTrue(index.readerCurrent(), "past the cap, the check reopens");
      index.upsert(vectors.stored("t", "global", vectors.near(query, 0.5f)), "m");
      index.markApplied(UnreadWrites.MAX + 2);
      index.searchVectorUnread(query, List.of(GLOBAL), 5);
      assertFalse(index.readerCurrent(), "after the reopen, the list starts empty again");
    }
  }

  /** A rebuild writes the whole store without a reopen: the list must not hold it all. */
  @Test
  void aLongRunOfWritesKeepsNoMoreThanTheCapAndTheCheckStillFindsTheNewest() throws Exception {
    try (MemoryIndex index = MemoryIndex.open(dir)) {
      int n = 4 * UnreadWrites.MAX;
      StoredMemory last = null;
      for (int i = 0; i < n; i++) {
        last = vectors.stored("t", "global", TestVectors.unit(vectors.randomVector()));
        index.upsert(last, "m");
      }
      assertTrue(
          index.unreadWritesKept() <= UnreadWrites.MAX,
          index.unreadWritesKept() + " unread writes kept");
      index.markApplied(n);
      List<IndexHit> hits = index.searchVectorUnread(last.vector(), List.of(GLOBAL), 3);
      assertEquals(last.memory().id(), hits.get(0).id());
      assertTrue(index.readerCurrent(), "past the cap, the check reopens");
      StoredMemory next = vectors.stored("t", "global", TestVectors.unit(vectors.randomVector()));
      index.upsert(next, "m");
      index.markApplied(n + 1);
      assertEquals(1, index.unreadWritesKept(), "after the reopen, writes are kept again");
      assertEquals(
          next.memory().id(),
          index.searchVectorUnread(next.vector(), List.of(GLOBAL), 3).get(0).id());
      assertFalse(index.readerCurrent(), "the new write was found without a reopen");
    }
  }

  @Test
  void afterAClearTheCheckReopens() throws Exception {
    try (MemoryIndex index = MemoryIndex.open(dir)) {
      float[] query = TestVectors.unit(vectors.randomVector());
      index.upsert(vectors.stored("t", "global", vectors.near(query, 0.1f)), "m");
      index.markApplied(1);
      assertEquals(1, index.searchVector(query, List.of(GLOBAL), 5).size());
      index.clear();
      StoredMemory after = vectors.stored("t", "global", vectors.near(query, 0.3f));
      index.upsert(after, "m");
      index.markApplied(2);
      // The reader still holds the cleared document, which no unread write names.
      assertEquals(
          List.of(after.memory().id()), ids(index.searchVectorUnread(query, List.of(GLOBAL), 5)));
    }
  }

  private static List<String> ids(List<IndexHit> hits) {
    return hits.stream().map(IndexHit::id).toList();
  }

  private static StoredMemory row(List<StoredMemory> rows, String id) {
    return rows.stream().filter(r -> r.memory().id().equals(id)).findFirst().orElseThrow();
  }
}
