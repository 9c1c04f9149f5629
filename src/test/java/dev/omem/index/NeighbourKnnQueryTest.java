package dev.omem.index;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.domain.MemoryFilter;
import dev.omem.store.StoredMemory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The neighbour check scores exactly where its filter passes few documents of a segment, and uses
 * HNSW where it passes many (issue 19, session 15).
 */
class NeighbourKnnQueryTest {
  private static final int DIM = 64;
  private static final MemoryFilter GLOBAL =
      MemoryFilter.builder("t").scopes(Set.of("global")).build();

  @TempDir Path dir;
  private final TestVectors vectors = new TestVectors(DIM, 29);

  /** The session 14 case: a quarter of a 6,759-document segment passes; exact. All of it: HNSW. */
  @Test
  void theCheaperSideIsChosenFromThePassingShare() {
    assertTrue(NeighbourKnnQuery.exactIsCheaper(37, 6_759, 1_624));
    assertTrue(NeighbourKnnQuery.exactIsCheaper(37, 3_019, 673));
    assertFalse(NeighbourKnnQuery.exactIsCheaper(37, 6_759, 6_759));
    assertFalse(NeighbourKnnQuery.exactIsCheaper(37, 93_239, 21_145));
    assertTrue(NeighbourKnnQuery.exactIsCheaper(5, 220, 49));
  }

  /**
   * Session 19: a filtered HNSW visits several times the 1/share estimate, so at 10k with a quarter
   * passing even k = 5 is scored exactly (the rule before weighed it as HNSW's); where every
   * document passes the weight changes nothing.
   */
  @Test
  void filteredHnswIsWeighedByTheShareFilteredOut() {
    assertTrue(NeighbourKnnQuery.exactIsCheaper(5, 6_759, 1_624));
    assertFalse(NeighbourKnnQuery.exactIsCheaper(5, 6_759, 1_624, 1));
    for (double w : new double[] {1, NeighbourKnnQuery.FILTERED_VISITS, 100}) {
      assertFalse(NeighbourKnnQuery.exactIsCheaper(5, 6_759, 6_759, w));
      assertFalse(NeighbourKnnQuery.exactIsCheaper(37, 93_239, 93_239, w));
      assertTrue(NeighbourKnnQuery.exactIsCheaper(5, 60, 60, w));
    }
  }

  /**
   * A filter passing a few hundred of thousands of near-duplicate memories in one segment: every
   * check's neighbours are exact cosine's top k among the passing ones (HNSW alone misses some
   * where its graph is crowded by the other scope's near-copies).
   */
  @Test
  void aSelectiveFilterGetsTheExactTopK() throws Exception {
    try (MemoryIndex index = MemoryIndex.open(dir)) {
      Map<String, float[]> passing = new LinkedHashMap<>();
      float[][] templates = new float[20][];
      for (int c = 0; c < templates.length; c++) {
        templates[c] = TestVectors.unit(vectors.randomVector());
      }
      for (int i = 0; i < 4_000; i++) {
        float[] v = vectors.near(templates[i % templates.length], 0.15f);
        boolean global = i % 7 == 0;
        StoredMemory row = vectors.stored("t", global ? "global" : "project:other", v);
        if (global) {
          passing.put(row.memory().id(), v);
        }
        index.upsert(row, "m");
      }
      index.markApplied(4_000);
      index.refresh();
      int missed = 0;
      for (int q = 0; q < 200; q++) {
        float[] query = vectors.near(templates[q % templates.length], 0.15f);
        List<String> got =
            index.searchVectorUnread(query, List.of(GLOBAL), 5).stream().map(IndexHit::id).toList();
        List<String> want = TestVectors.exactTop(passing, query, 5);
        missed += want.stream().filter(id -> !got.contains(id)).count();
      }
      assertEquals(0, missed, "of 1,000 exact neighbours, missed");
    }
  }
}
