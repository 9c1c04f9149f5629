package dev.omem.bench;

import dev.omem.domain.Category;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.Tier;
import dev.omem.index.IndexSynchronizer;
import dev.omem.index.StoredVectorSearch;
import dev.omem.store.MemoryRepository;
import dev.omem.store.MemoryWrite;
import dev.omem.store.StoredMemory;
import dev.omem.store.sqlite.Database;
import dev.omem.store.sqlite.SqliteMemoryRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What healing costs at a realistic store size. Not a test: run it with {@code scripts/bench-heal}.
 * Fills a temporary store with {@code --memories} memories (random unit 384-dimension vectors, the
 * model's size; no model needed), then prints: the checksum verification of the whole index (what
 * every open, the hourly check and {@code omem doctor} pay), a rebuild from the stored vectors, and
 * the latency of a search answered from the store while the index is rebuilt, next to Lucene's.
 */
public final class IndexHealBench {
  private static final String MODEL = "bench-model";
  private static final int DIMS = 384;
  private static final int RUNS = 7;
  private static final int QUERIES = 50;

  public static void main(String[] args) throws Exception {
    int n = 10_000;
    for (String a : args) {
      if (a.startsWith("--memories=")) {
        String v = a.substring("--memories=".length()).toLowerCase(Locale.ROOT);
        n = v.endsWith("k") ? Integer.parseInt(v.replace("k", "")) * 1000 : Integer.parseInt(v);
      }
    }
    Path home = Files.createTempDirectory("omem-bench-heal");
    Random rnd = new Random(1);
    List<float[]> vectors = new ArrayList<>();
    try (Database db = Database.open(home)) {
      MemoryRepository repo = new SqliteMemoryRepository(db);
      List<StoredMemory> batch = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        float[] v = unit(rnd);
        vectors.add(v);
        batch.add(new StoredMemory(memory(i), v, MODEL));
        if (batch.size() == 500) {
          repo.apply(MemoryWrite.insertAll(batch), null);
          batch.clear();
        }
      }
      repo.apply(MemoryWrite.insertAll(batch), null);
      Path dir = home.resolve("index");
      IndexSynchronizer.open(repo, dir, MODEL).close();
      long bytes = 0;
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          bytes += Files.size(p);
        }
      }
      System.out.printf(
          Locale.ROOT, "memories %d, index %.1f MB on disk%n", n, bytes / 1024.0 / 1024.0);

      try (IndexSynchronizer sync = IndexSynchronizer.open(repo, dir, MODEL)) {
        print("verify (checksums of every file)", times(() -> sync.index().verify()));
        double[] rebuild = new double[3];
        for (int i = 0; i < rebuild.length; i++) {
          long t0 = System.nanoTime();
          sync.rebuild();
          rebuild[i] = (System.nanoTime() - t0) / 1e6;
        }
        print("rebuild from the stored vectors", rebuild);
        MemoryFilter all = MemoryFilter.activeOf("t");
        StoredVectorSearch store = new StoredVectorSearch(repo, MODEL);
        print(
            "store fallback, vector (k=100)",
            queries(i -> store.searchVector(vectors.get(i * 37 % vectors.size()), all, 100)));
        print(
            "store fallback, substring (k=100)",
            queries(i -> store.searchText("widget" + (i * 37) + " note", all, 100)));
        print(
            "lucene, vector (k=100)",
            queries(
                i -> sync.index().searchVector(vectors.get(i * 37 % vectors.size()), all, 100)));
        print(
            "lucene, bm25 (k=100)",
            queries(i -> sync.index().searchText("widget" + (i * 37) + " note", all, 100)));
      }
    }
  }

  interface Query {
    Object run(int i);
  }

  static double[] queries(Query q) {
    for (int i = 0; i < 5; i++) {
      q.run(i); // warm-up
    }
    double[] ms = new double[QUERIES];
    for (int i = 0; i < QUERIES; i++) {
      long t0 = System.nanoTime();
      q.run(i);
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    return ms;
  }

  static double[] times(Supplier<?> work) {
    work.get(); // warm-up
    double[] ms = new double[RUNS];
    for (int i = 0; i < RUNS; i++) {
      long t0 = System.nanoTime();
      work.get();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    return ms;
  }

  static void print(String what, double[] ms) {
    double[] s = ms.clone();
    Arrays.sort(s);
    System.out.printf(
        Locale.ROOT,
        "%-36s p50 %8.1f ms   p95 %8.1f ms   max %8.1f ms   (%d runs)%n",
        what,
        s[s.length / 2],
        s[Math.min(s.length - 1, (int) Math.ceil(s.length * 0.95) - 1)],
        s[s.length - 1],
        s.length);
  }

  static float[] unit(Random rnd) {
    float[] v = new float[DIMS];
    double norm = 0;
    for (int i = 0; i < DIMS; i++) {
      v[i] = (float) rnd.nextGaussian();
      norm += v[i] * v[i];
    }
    for (int i = 0; i < DIMS; i++) {
      v[i] /= (float) Math.sqrt(norm);
    }
    return v;
  }

  static Memory memory(int i) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i * 60L);
    return Memory.builder()
        .id(UUID.randomUUID().toString())
        .tenantId("t")
        .spaceId("personal/t")
        .content(
            "note "
                + i
                + " about widget"
                + i
                + ": the service on port "
                + (8000 + i % 1000)
                + " is owned by team "
                + (i % 17))
        .category(Category.ENTITIES)
        .memoryType(MemoryType.PINNED)
        .state(MemoryState.ACTIVE)
        .tier(Tier.PERIPHERAL)
        .importance(0.5)
        .confidence(0.5)
        .accessCount(0)
        .tags(List.of("t" + (i % 5)))
        .scope("global")
        .version(1)
        .createdAt(t)
        .updatedAt(t)
        .build();
  }
}
