package dev.omem.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryState;
import dev.omem.store.StoredMemory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Searches answered from the reader as it is with the unread writes laid over it (issue 19, session
 * 15): they rank as a reopened reader ranks, and a write is searchable, and a replaced or deleted
 * memory gone, as soon as it is applied, while other threads write and reopen.
 */
class OverlaidSearchTest {
  private static final MemoryFilter ACTIVE = MemoryFilter.activeOf("t");

  /** Words with identifiers among them: the analyzer indexes those whole and in parts. */
  private static final String[] WORDS = {
    "cache", "retry", "parseConfigFile", "timeout", "database", "index_writer", "token", "deploy",
    "kafka", "queue", "worker", "HttpClient", "schema", "migration", "latency", "gateway"
  };

  @TempDir Path dir;

  @Test
  void overlaidRankingIsAReopenedReadersRanking() throws Exception {
    TestVectors vectors = new TestVectors(32, 7);
    Random random = new Random(11);
    try (MemoryIndex index = MemoryIndex.open(dir)) {
      List<StoredMemory> old = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        old.add(withText(vectors.stored("t", "global", vectors.randomVector()), text(random)));
        index.upsert(old.get(i), "m");
      }
      index.markApplied(1);
      index.refresh();
      // Unread: new memories, replaced texts, one deleted, one archived.
      long seq = 2;
      for (int i = 0; i < 12; i++) {
        index.upsert(
            withText(vectors.stored("t", "global", vectors.randomVector()), text(random)), "m");
      }
      for (int i = 0; i < 6; i++) {
        StoredMemory s = old.get(i * 7);
        index.upsert(withText(s, text(random)), "m");
      }
      index.delete(old.get(100).memory().id());
      Memory archived = old.get(101).memory().toBuilder().state(MemoryState.ARCHIVED).build();
      index.upsert(new StoredMemory(archived, old.get(101).vector(), "m"), "m");
      index.markApplied(seq);

      List<String> queries =
          List.of(
              "cache retry",
              "parseConfigFile database",
              "config file",
              "kafka queue worker latency",
              "HttpClient gateway token schema");
      float[][] probes = {vectors.randomVector(), vectors.randomVector(), vectors.randomVector()};
      List<List<IndexHit>> overlaid = new ArrayList<>();
      for (String q : queries) {
        overlaid.add(index.searchText(q, ACTIVE, 40));
      }
      for (float[] p : probes) {
        overlaid.add(index.searchVector(TestVectors.unit(p), List.of(ACTIVE), 40));
      }
      for (float[] p : probes) {
        overlaid.add(index.searchVectorPools(TestVectors.unit(p), List.of(ACTIVE), 40).plain());
      }
      assertFalse(index.readerCurrent(), "a search reopened the reader");

      index.refresh();
      assertTrue(index.readerCurrent());
      for (int i = 0; i < queries.size(); i++) {
        assertSameRanking(
            index.searchText(queries.get(i), ACTIVE, 40), overlaid.get(i), queries.get(i));
      }
      for (int i = 0; i < probes.length; i++) {
        assertSameRanking(
            index.searchVector(probes[i], List.of(ACTIVE), 40),
            overlaid.get(queries.size() + i),
            "vector " + i);
        assertSameRanking(
            index.searchVectorPools(probes[i], List.of(ACTIVE), 40).plain(),
            overlaid.get(queries.size() + probes.length + i),
            "plain pool " + i);
      }
    }
  }

  /**
   * The centred list laid over the unread writes ranks as a reopened reader's does, also when the
   * mean the exact pass centres on ({@link StoreCentroid#reference}) is older than the reader: a
   * cluster of memories read since that mean was taken moves the reader's own mean, and ranking the
   * overlay by that one (session 16's overlay) ordered the reader's hits and the writes by a mean
   * the pass did not use.
   */
  @Test
  void overlaidCentredListIsAReopenedReadersCentredList() throws Exception {
    TestVectors vectors = new TestVectors(32, 5);
    try (MemoryIndex index = MemoryIndex.open(dir)) {
      for (int i = 0; i < 300; i++) {
        index.upsert(vectors.stored("t", "global", vectors.randomVector()), "m");
      }
      index.markApplied(1);
      index.refresh();
      float[][] probes = {vectors.randomVector(), vectors.randomVector(), vectors.randomVector()};
      index.searchVectorPools(TestVectors.unit(probes[0]), List.of(ACTIVE), 40); // takes the mean
      // A cluster within a tenth of the store, read: the pass keeps its mean, the reader's moves.
      float[] cluster = vectors.randomVector();
      for (int i = 0; i < 15; i++) {
        index.upsert(vectors.stored("t", "global", vectors.near(cluster, 0.2f)), "m");
      }
      index.markApplied(2);
      index.refresh();
      for (int i = 0; i < 12; i++) { // unread
        index.upsert(vectors.stored("t", "global", vectors.near(cluster, 0.3f)), "m");
      }
      index.markApplied(3);
      List<List<IndexHit>> overlaid = new ArrayList<>();
      for (float[] p : probes) {
        overlaid.add(index.searchVectorPools(TestVectors.unit(p), List.of(ACTIVE), 40).centred());
      }
      assertFalse(index.readerCurrent(), "a search reopened the reader");
      index.refresh();
      for (int i = 0; i < probes.length; i++) {
        assertSameRanking(
            index.searchVectorPools(TestVectors.unit(probes[i]), List.of(ACTIVE), 40).centred(),
            overlaid.get(i),
            "centred pool " + i);
      }
    }
  }

  /**
   * Two indexes of the same writes answer a vector search identically, to the last bit of every
   * score and in the same order of ties, whether the last writes are still unread (laid over the
   * reader) or a reopened reader shows them. Before session 19 they did not: the mean the centred
   * list is ranked by left the unread writes out, an unread write's cosine was computed in the kNN
   * score's form (a few ulps off the exact pass's dot product), and equal scores among the unread
   * writes came in the snapshot map's order; so LoCoMo's vector-only rankings changed from run to
   * run with when the background reopen ran.
   */
  @Test
  void sameWritesGiveTheSameVectorRankingReadOrUnread() throws Exception {
    TestVectors vectors = new TestVectors(32, 9);
    List<StoredMemory> read = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      read.add(vectors.stored("t", "global", vectors.randomVector()));
    }
    List<StoredMemory> unread = new ArrayList<>();
    float[] shared = vectors.randomVector();
    for (int i = 0; i < 15; i++) { // 15 of 215: within the tenth the mean is kept for
      unread.add(vectors.stored("t", "global", i < 3 ? shared : vectors.randomVector()));
    }
    unread.add(vectors.stored("t", "global", read.get(7).vector())); // ties a read memory
    float[][] probes = {
      TestVectors.unit(vectors.randomVector()), TestVectors.unit(shared), read.get(7).vector()
    };
    try (MemoryIndex overlaid = MemoryIndex.open(dir.resolve("overlaid"));
        MemoryIndex reopened = MemoryIndex.open(dir.resolve("reopened"))) {
      for (MemoryIndex index : List.of(overlaid, reopened)) {
        read.forEach(s -> index.upsert(s, "m"));
        index.markApplied(1);
        index.refresh();
        unread.forEach(s -> index.upsert(s, "m"));
        index.markApplied(2);
      }
      reopened.refresh();
      for (int i = 0; i < probes.length; i++) {
        // The first search takes the mean each index keeps for the later ones.
        VectorPools a = overlaid.searchVectorPools(probes[i], List.of(ACTIVE), 40);
        VectorPools b = reopened.searchVectorPools(probes[i], List.of(ACTIVE), 40);
        assertEquals(b.plain(), a.plain(), "plain list " + i);
        assertEquals(b.centred(), a.centred(), "centred list " + i);
      }
      assertFalse(overlaid.readerCurrent(), "a search reopened the reader");
    }
  }

  @Test
  void writesAreSearchableAndReplacedOnesGoneWhileOthersWriteAndReopen() throws Exception {
    int writers = 6;
    int rounds = 25;
    ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
    AtomicLong seqs = new AtomicLong();
    AtomicBoolean done = new AtomicBoolean();
    try (MemoryIndex index = MemoryIndex.open(dir)) {
      TestVectors filler = new TestVectors(32, 3);
      for (int i = 0; i < 200; i++) {
        index.upsert(
            withText(filler.stored("t", "global", filler.randomVector()), "filler " + i), "m");
      }
      index.markApplied(seqs.incrementAndGet());
      Future<?> reopener =
          pool.submit(
              () -> {
                while (!done.get()) {
                  index.refresh();
                  Thread.onSpinWait();
                }
              });
      List<Future<?>> work = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        work.add(
            pool.submit(
                () -> {
                  TestVectors vectors = new TestVectors(32, 100 + writer);
                  for (int r = 0; r < rounds; r++) {
                    String word = "zq" + letters(writer) + letters(r);
                    float[] v = vectors.randomVector();
                    StoredMemory s = withText(vectors.stored("t", "global", v), "codename " + word);
                    String id = s.memory().id();
                    index.upsert(s, "m");
                    index.markApplied(seqs.incrementAndGet());
                    assertEquals(List.of(id), ids(index.searchText(word, ACTIVE, 5)), word);
                    assertEquals(id, index.searchVector(v, List.of(ACTIVE), 1).get(0).id(), word);
                    VectorPools found = index.searchVectorPools(v, List.of(ACTIVE), 3);
                    assertEquals(id, found.plain().get(0).id(), word);
                    assertTrue(ids(found.centred()).contains(id), word);
                    // Replaced: the old text must not come back from a reader that still holds it.
                    index.upsert(withText(s, "renamed " + word + "x"), "m");
                    index.markApplied(seqs.incrementAndGet());
                    assertEquals(List.of(), ids(index.searchText(word, ACTIVE, 5)), word);
                    // Forgotten: out of the filter, then deleted outright.
                    Memory gone = s.memory().toBuilder().state(MemoryState.DELETED).build();
                    index.upsert(new StoredMemory(gone, v, "m"), "m");
                    index.markApplied(seqs.incrementAndGet());
                    assertFalse(ids(index.searchVector(v, List.of(ACTIVE), 3)).contains(id), word);
                    assertEquals(List.of(), ids(index.searchText(word + "x", ACTIVE, 5)), word);
                    VectorPools forgotten = index.searchVectorPools(v, List.of(ACTIVE), 3);
                    assertFalse(ids(forgotten.plain()).contains(id), word);
                    assertFalse(ids(forgotten.centred()).contains(id), word);
                    index.delete(id);
                    index.markApplied(seqs.incrementAndGet());
                    assertFalse(ids(index.searchVector(v, List.of(ACTIVE), 3)).contains(id), word);
                    VectorPools deleted = index.searchVectorPools(v, List.of(ACTIVE), 3);
                    assertFalse(ids(deleted.centred()).contains(id), word);
                  }
                  return null;
                }));
      }
      for (Future<?> f : work) {
        f.get();
      }
      done.set(true);
      reopener.get();
    } finally {
      pool.shutdownNow();
    }
  }

  private static void assertSameRanking(
      List<IndexHit> reopened, List<IndexHit> overlaid, String q) {
    assertFalse(reopened.isEmpty(), q);
    assertEquals(ids(reopened), ids(overlaid), q);
    for (int i = 0; i < reopened.size(); i++) {
      float a = reopened.get(i).score();
      float b = overlaid.get(i).score();
      assertEquals(a, b, 1e-5f * Math.max(1f, Math.abs(a)), q + " at " + i);
    }
  }

  private static List<String> ids(List<IndexHit> hits) {
    return hits.stream().map(IndexHit::id).toList();
  }

  private static String letters(int n) {
    return "" + (char) ('a' + n % 26) + (char) ('a' + n / 26);
  }

  private static String text(Random random) {
    StringBuilder b = new StringBuilder();
    int n = 3 + random.nextInt(12);
    for (int i = 0; i < n; i++) {
      b.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
    }
    return b.toString().trim();
  }

  private static StoredMemory withText(StoredMemory s, String content) {
    return new StoredMemory(s.memory().toBuilder().content(content).build(), s.vector(), s.model());
  }
}
