package dev.omem.index;

import dev.omem.domain.Category;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.Tier;
import dev.omem.store.StoredMemory;
import dev.omem.store.Vectors;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/** Seeded random unit vectors, and memories that hold them, for the index's vector tests. */
final class TestVectors {
  private final int dim;
  private final Random random;

  TestVectors(int dim, long seed) {
    this.dim = dim;
    this.random = new Random(seed);
  }

  float[] randomVector() {
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }

  /** A unit vector whose distance from {@code q} grows with {@code noise}. */
  float[] near(float[] q, float noise) {
    float[] r = randomVector();
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) {
      v[i] = q[i] + noise * r[i];
    }
    return unit(v);
  }

  static float[] unit(float[] v) {
    double n = 0;
    for (float x : v) {
      n += x * x;
    }
    float inv = (float) (1 / Math.sqrt(n));
    for (int i = 0; i < v.length; i++) {
      v[i] *= inv;
    }
    return v;
  }

  /** An active memory of {@code tenant} in {@code scope} holding {@code vector} (model "m"). */
  StoredMemory stored(String tenant, String scope, float[] vector) {
    Instant t = Instant.parse("2026-11-01T00:00:00Z");
    Memory m =
        Memory.builder()
            .id(new UUID(random.nextLong(), random.nextLong()).toString())
            .tenantId(tenant)
            .spaceId("personal/" + tenant)
            .content("a fact")
            .category(Category.ENTITIES)
            .memoryType(MemoryType.PINNED)
            .state(MemoryState.ACTIVE)
            .tier(Tier.PERIPHERAL)
            .importance(0.5)
            .confidence(0.5)
            .accessCount(0)
            .tags(List.of())
            .scope(scope)
            .version(1)
            .createdAt(t)
            .updatedAt(t)
            .build();
    return new StoredMemory(m, vector, "m");
  }

  /** The ids of the {@code k} vectors of {@code all} nearest to {@code q} by cosine, best first. */
  static List<String> exactTop(Map<String, float[]> all, float[] q, int k) {
    return all.entrySet().stream()
        .sorted(Comparator.comparingDouble(e -> -Vectors.dot(e.getValue(), q)))
        .limit(k)
        .map(Map.Entry::getKey)
        .toList();
  }
}
