package dev.omem.bench;

import dev.omem.config.OmemConfig;
import dev.omem.domain.Memory;
import dev.omem.service.BatchDeleteRequest;
import dev.omem.service.Caller;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.StoreRequest;
import dev.omem.service.UpkeepResult;
import dev.omem.store.MemoryRepository;
import dev.omem.store.MemoryWrite;
import dev.omem.store.StoredMemory;
import dev.omem.store.sqlite.Database;
import dev.omem.store.sqlite.SqliteMemoryRepository;
import dev.omem.testing.MovableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The store's size after 100k stores and 90k forgets, before and after the upkeep pass, next to a
 * fresh store holding the 10k survivors (issue 12: after the pass, within 1.5× the fresh one). The
 * forgets are soft deletes through the service; 31 days pass on a test clock. Not a test: run it
 * with {@code scripts/bench-upkeep [N]} (N stores, 100k by default; 90% are forgotten).
 */
public final class UpkeepBench {
  private static final int FILL_BATCH = 256;
  private static final int DELETE_BATCH = 1_000;

  public static void main(String[] args) throws Exception {
    int total = args.length > 0 ? Integer.parseInt(args[0].replace("k", "000")) : 100_000;
    System.out.println(
        "machine: "
            + Runtime.getRuntime().availableProcessors()
            + " cores, java "
            + System.getProperty("java.version")
            + "; "
            + total
            + " stores, "
            + (total - total / 10)
            + " forgets");
    Caller caller = Caller.local("bench/project");
    MovableClock clock = new MovableClock(Instant.now());
    Path big = Files.createTempDirectory("omem-upkeep-big");
    List<String> survivors = new ArrayList<>();
    long t0 = System.nanoTime();
    Memory template;
    try (LocalMemoryService svc = open(big, clock)) {
      template = svc.store(caller, StoreRequest.of("The bench service uses SQLite for upkeep"));
    }
    // The bulk path: rows as a store writes them (a 384-float vector each, as the model's), in
    // transactions of FILL_BATCH, without embedding 100k texts on a shared 2-core machine.
    SyntheticMemories gen = new SyntheticMemories(12);
    java.util.Random rnd = new java.util.Random(12);
    List<String> doomed = new ArrayList<>();
    try (Database db = Database.open(big)) {
      MemoryRepository repo = new SqliteMemoryRepository(db);
      int n = 1;
      while (n < total) {
        List<StoredMemory> batch = new ArrayList<>();
        for (int i = 0; i < Math.min(FILL_BATCH, total - n); i++) {
          Memory m = like(template, gen.memory(), clock.instant());
          batch.add(new StoredMemory(m, unitVector(rnd), OmemConfig.DEFAULT_MODEL));
          if (n++ % 10 == 0) {
            survivors.add(m.content());
          } else {
            doomed.add(m.id());
          }
        }
        repo.apply(MemoryWrite.insertAll(batch), null);
      }
      System.out.printf(Locale.ROOT, "filled %,d in %.0f s%n", n, secs(t0));
    }
    survivors.add(template.content());
    t0 = System.nanoTime();
    try (LocalMemoryService svc = open(big, clock)) {
      svc.health(); // waits for the index to open and catch up with the bulk rows
      System.out.printf(Locale.ROOT, "indexed them in %.0f s%n", secs(t0));
      t0 = System.nanoTime();
      t0 = System.nanoTime();
      for (int i = 0; i < doomed.size(); i += DELETE_BATCH) {
        svc.batchDelete(
            caller,
            BatchDeleteRequest.ids(doomed.subList(i, Math.min(doomed.size(), i + DELETE_BATCH))));
      }
      System.out.printf(Locale.ROOT, "forgot %,d in %.0f s%n", doomed.size(), secs(t0));
    }
    long before = size(big);
    clock.advance(Duration.ofDays(31));
    UpkeepResult r;
    t0 = System.nanoTime();
    try (LocalMemoryService svc = open(big, clock)) {
      r = svc.upkeep();
    }
    double upkeepSecs = secs(t0);
    long after = size(big);

    Path fresh = Files.createTempDirectory("omem-upkeep-fresh");
    try (LocalMemoryService svc = open(fresh, clock)) {
      template = svc.store(caller, StoreRequest.of(template.content()));
    }
    try (Database db = Database.open(fresh)) {
      MemoryRepository repo = new SqliteMemoryRepository(db);
      for (int i = 0; i < survivors.size() - 1; i += FILL_BATCH) {
        List<StoredMemory> batch = new ArrayList<>();
        for (String s : survivors.subList(i, Math.min(survivors.size() - 1, i + FILL_BATCH))) {
          batch.add(
              new StoredMemory(
                  like(template, s, clock.instant()), unitVector(rnd), OmemConfig.DEFAULT_MODEL));
        }
        repo.apply(MemoryWrite.insertAll(batch), null);
      }
    }
    try (LocalMemoryService svc = open(fresh, clock)) {
      svc.awaitAccesses(); // opening indexes them; closing checkpoints, as for the big store
    }
    long freshSize = size(fresh);
    System.out.println();
    System.out.println("| store | omem.db |");
    System.out.println("|---|---|");
    System.out.printf(
        Locale.ROOT,
        "| %,d stored, %,d forgotten, before upkeep | %s |%n",
        total,
        total - survivors.size(),
        mb(before));
    System.out.printf(
        Locale.ROOT,
        "| the same after the upkeep pass (%,d purged, %.0f s incl. the first backup) | %s |%n",
        r.purged(),
        upkeepSecs,
        mb(after));
    System.out.printf(
        Locale.ROOT,
        "| fresh store of the %,d survivors | %s |%n",
        survivors.size(),
        mb(freshSize));
    System.out.printf(
        Locale.ROOT,
        "after / fresh = %.2f (goal <= 1.5); before / fresh = %.2f%n",
        after / (double) freshSize,
        before / (double) freshSize);
  }

  /** A memory like {@code t} (same tenant, space, scope) with other content and a new id. */
  private static Memory like(Memory t, String content, Instant at) {
    return Memory.builder()
        .id(java.util.UUID.randomUUID().toString())
        .tenantId(t.tenantId())
        .spaceId(t.spaceId())
        .content(content)
        .category(t.category())
        .memoryType(t.memoryType())
        .state(t.state())
        .tier(t.tier())
        .importance(t.importance())
        .confidence(t.confidence())
        .accessCount(0)
        .tags(List.of())
        .scope(t.scope())
        .agentId(t.agentId())
        .sessionId(t.sessionId())
        .source(t.source())
        .relations(t.relations())
        .provenance(t.provenance())
        .version(1)
        .createdAt(at)
        .updatedAt(at)
        .build();
  }

  /** A random unit vector of the shipped model's 384 dimensions (also MergeReplayBench's). */
  public static float[] unitVector(java.util.Random rnd) {
    float[] v = new float[384];
    double norm = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) rnd.nextGaussian();
      norm += v[i] * v[i];
    }
    for (int i = 0; i < v.length; i++) {
      v[i] /= (float) Math.sqrt(norm);
    }
    return v;
  }

  private static LocalMemoryService open(Path home, MovableClock clock) {
    LocalMemoryService svc =
        LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL), clock);
    if (!svc.awaitModel(Duration.ofMinutes(2))) {
      throw new IllegalStateException("model did not load");
    }
    return svc;
  }

  /** omem.db and its WAL, as on disk after the service closed (closing checkpoints the WAL). */
  private static long size(Path home) throws java.io.IOException {
    long s = Files.size(home.resolve("omem.db"));
    Path wal = home.resolve("omem.db-wal");
    return s + (Files.exists(wal) ? Files.size(wal) : 0);
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
