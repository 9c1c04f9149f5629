package dev.omem.index;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.domain.MemoryFilter;
import dev.omem.store.StoredMemory;
import dev.omem.store.Vectors;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vector retriever on a real Lucene index, over a store that is mostly one dense cluster of
 * near-copies (the paraphrase store's template sentences, issue 19): a distinct fact whose plain
 * cosine to the question is below every copy's must still come first once the query is centred on
 * the store's mean vector, and each hit must carry its plain cosine.
 */
class CentredVectorSearchTest {
  private static final int DIM = 32;
  private static final MemoryFilter GLOBAL =
      MemoryFilter.builder("t").scopes(Set.of("global")).build();

  @TempDir Path dir;
  private final TestVectors vectors = new TestVectors(DIM, 13);

  @Test
  void aDistinctFactOutranksAClusterOfNearCopiesThatLiesAlongTheStoresMean() throws Exception {
    // Copies along e0 + e1 with a little noise elsewhere; the fact along e0 + e2; the question
    // mostly along the copies' direction, a little along the fact's own.
    float[] question = TestVectors.unit(axes(0.9f, 0.3f, 0.3f));
    float[] fact = TestVectors.unit(axes(0.6f, 0f, 0.8f));
    try (MemoryIndex index = MemoryIndex.open(dir)) {
      for (int i = 0; i < 300; i++) {
        index.upsert(
            vectors.stored("t", "global", vectors.near(axes(0.9f, 0.436f, 0f), 0.05f)), "m");
      }
      StoredMemory distinct = vectors.stored("t", "global", fact);
      index.upsert(distinct, "m");
      index.markApplied(301);

      List<IndexHit> plain = index.searchVector(question, List.of(GLOBAL), 10);
      assertNotEquals(distinct.memory().id(), plain.get(0).id(), "plain cosine: copies first");
      assertFalse(
          plain.stream().anyMatch(h -> h.id().equals(distinct.memory().id())),
          "plain cosine puts the fact below ten copies");

      List<IndexHit> centred = index.searchVectorPools(question, List.of(GLOBAL), 10).centred();
      assertEquals(distinct.memory().id(), centred.get(0).id());
      assertEquals(Vectors.dot(question, fact), centred.get(0).score(), 1e-4, "the plain cosine");
      assertEquals(10, centred.size());
    }
  }

  @Test
  void theOnePassPlainListIsTheKnnQuerysList() throws Exception {
    // Several segments (a commit between batches) and a deleted memory: the exact pass must read
    // each segment's vectors, skip what is deleted, and order as the plain kNN does.
    try (MemoryIndex index = MemoryIndex.open(dir)) {
      StoredMemory gone = null;
      for (int i = 0; i < 120; i++) {
        StoredMemory row = vectors.stored("t", "global", TestVectors.unit(vectors.randomVector()));
        index.upsert(row, "m");
        if (i == 7) {
          gone = row;
        }
        if (i % 40 == 39) {
          index.markApplied(i + 1);
          index.refresh();
        }
      }
      index.delete(gone.memory().id());
      index.markApplied(121);
      float[] question = TestVectors.unit(vectors.randomVector());
      List<IndexHit> knn = index.searchVector(question, List.of(GLOBAL), 30);
      VectorPools pools = index.searchVectorPools(question, List.of(GLOBAL), 30);
      assertEquals(
          knn.stream().map(IndexHit::id).toList(),
          pools.plain().stream().map(IndexHit::id).toList());
      for (int i = 0; i < knn.size(); i++) {
        assertEquals(knn.get(i).score(), pools.plain().get(i).score(), 1e-5);
      }
      String goneId = gone.memory().id();
      assertFalse(pools.centred().stream().anyMatch(h -> h.id().equals(goneId)), "deleted");
      assertEquals(30, pools.centred().size());
    }
  }

  @Test
  void aStoreOfOneMemoryAskedWithItsOwnVectorStillAnswers() throws Exception {
    float[] only = TestVectors.unit(vectors.randomVector());
    try (MemoryIndex index = MemoryIndex.open(dir)) {
      StoredMemory row = vectors.stored("t", "global", only);
      index.upsert(row, "m");
      index.markApplied(1);
      List<IndexHit> hits = index.searchVectorPools(only, List.of(GLOBAL), 5).centred();
      assertEquals(1, hits.size());
      assertEquals(row.memory().id(), hits.get(0).id());
      assertEquals(1.0, hits.get(0).score(), 1e-4);
    }
  }

  private static float[] axes(float a, float b, float c) {
    float[] v = new float[DIM];
    v[0] = a;
    v[1] = b;
    v[2] = c;
    return v;
  }
}
