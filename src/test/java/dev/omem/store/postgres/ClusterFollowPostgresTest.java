package dev.omem.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.config.OmemConfig;
import dev.omem.domain.Category;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.Tier;
import dev.omem.index.ChangeFollower;
import dev.omem.index.IndexHit;
import dev.omem.index.IndexSynchronizer;
import dev.omem.store.ChangeSignal;
import dev.omem.store.Coordination;
import dev.omem.store.MemoryWrite;
import dev.omem.store.Storage;
import dev.omem.store.StoredMemory;
import dev.omem.testing.PostgresCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes' indexes over one real PostgreSQL: what one node writes reaches the other's index
 * through LISTEN/NOTIFY (or polling alone), concurrent writers on both lose nothing, an empty index
 * directory is rebuilt from the stored rows, and the advisory lock lets one node at a time run.
 */
class ClusterFollowPostgresTest {
  private static final String MODEL = OmemConfig.DEFAULT_MODEL;
  private static final String TENANT = "t-follow";

  @TempDir Path dirA;
  @TempDir Path dirB;

  @Test
  void aWriteOnOneNodeReachesTheOtherNodesIndexThroughListen() throws Exception {
    followAcross(true);
  }

  @Test
  void pollingAloneFollowsTooWhenListenIsOff() throws Exception {
    followAcross(false);
  }

  @SuppressWarnings("try") // the followers work while open
  private void followAcross(boolean listen) throws Exception {
    String url = PostgresCluster.shared().newDatabase("follow");
    try (PostgresDatabase dbA = PostgresDatabase.open(url);
        PostgresDatabase dbB = PostgresDatabase.open(url)) {
      Storage a = PostgresStorage.of(dbA);
      Storage b = PostgresStorage.of(dbB);
      try (Coordination ca = PostgresCoordination.open(dbA, listen);
          Coordination cb = PostgresCoordination.open(dbB, listen);
          IndexSynchronizer ia = IndexSynchronizer.open(a.memories(), dirA, MODEL, true);
          IndexSynchronizer ib = IndexSynchronizer.open(b.memories(), dirB, MODEL, true)) {
        assertEquals(listen, !(cb.signal() instanceof ChangeSignal.Silent));
        // Polling once a minute: with LISTEN only the wake-up can bring the change in time.
        Duration poll = listen ? Duration.ofSeconds(60) : ChangeFollower.POLL_ALONE;
        try (ChangeFollower fa = ChangeFollower.start(() -> ia, ca.signal(), poll);
            ChangeFollower fb = ChangeFollower.start(() -> ib, cb.signal(), poll)) {
          Thread.sleep(300); // the LISTEN connections are open
          // Both nodes write at once, 40 memories each: commits interleave.
          ExecutorService pool = Executors.newFixedThreadPool(4);
          CountDownLatch go = new CountDownLatch(1);
          List<Future<String>> ids = new ArrayList<>();
          for (int i = 0; i < 80; i++) {
            Storage node = i % 2 == 0 ? a : b;
            int n = i;
            ids.add(
                pool.submit(
                    () -> {
                      go.await();
                      StoredMemory row = row("note number " + n + " about quokka" + n);
                      node.memories().apply(MemoryWrite.insertAll(List.of(row)), () -> {});
                      return row.memory().id();
                    }));
          }
          go.countDown();
          List<String> written = new ArrayList<>();
          for (Future<String> f : ids) {
            written.add(f.get(60, TimeUnit.SECONDS));
          }
          pool.shutdown();
          long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          while ((ia.lag() > 0 || ib.lag() > 0) && System.nanoTime() < end) {
            Thread.sleep(20);
          }
          assertEquals(0, ia.lag(), "node A followed");
          assertEquals(0, ib.lag(), "node B followed");
          for (IndexSynchronizer idx : List.of(ia, ib)) {
            assertEquals(80, idx.documents(), "every write once on each node");
            assertEquals(
                written.get(7),
                idx.searchText("quokka7", MemoryFilter.activeOf(TENANT), 3).hits().get(0).id());
          }

          // One more write on A: on B within a second (the goal), timed.
          StoredMemory late = row("the release train leaves on Thursdays zebrafinch");
          long t0 = System.nanoTime();
          a.memories().apply(MemoryWrite.insertAll(List.of(late)), () -> {});
          while (!found(ib, "zebrafinch", late.memory().id())) {
            assertTrue(
                System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1), "searchable on B in 1 s");
            Thread.sleep(5);
          }
        }
        // Neither node pruned the shared log: a third node can still replay it.
        assertEquals(1, a.memories().changesAfter(0, 1).get(0).seq());
      }
    }
  }

  @Test
  void anEmptyIndexDirectoryIsRebuiltFromTheStoredRows() throws Exception {
    String url = PostgresCluster.shared().newDatabase("rebuild");
    try (PostgresDatabase db = PostgresDatabase.open(url)) {
      Storage s = PostgresStorage.of(db);
      List<StoredMemory> rows = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        rows.add(row("stored fact " + i + " wombat" + i));
      }
      s.memories().apply(MemoryWrite.insertAll(rows), () -> {});
      Path empty = Files.createDirectories(dirB.resolve("index"));
      try (IndexSynchronizer idx = IndexSynchronizer.open(s.memories(), empty, MODEL, true)) {
        assertTrue(idx.awaitHealthy(Duration.ofSeconds(30)));
        assertEquals(1, idx.status().rebuilds(), "rebuilt, not replayed change by change");
        assertEquals(30, idx.documents());
        assertEquals(0, idx.lag());
        List<IndexHit> hits = idx.searchText("wombat12", MemoryFilter.activeOf(TENANT), 3).hits();
        assertEquals(rows.get(12).memory().id(), hits.get(0).id());
      }
    }
  }

  @Test
  void theAdvisoryLockLetsOneNodeRunAtATime() throws Exception {
    String url = PostgresCluster.shared().newDatabase("lock");
    try (PostgresDatabase dbA = PostgresDatabase.open(url);
        PostgresDatabase dbB = PostgresDatabase.open(url)) {
      PostgresClusterLock a = new PostgresClusterLock(dbA);
      PostgresClusterLock b = new PostgresClusterLock(dbB);
      CountDownLatch inside = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      ExecutorService one = Executors.newSingleThreadExecutor();
      Future<Boolean> first =
          one.submit(
              () ->
                  a.runExclusively(
                      "hourly-passes",
                      () -> {
                        inside.countDown();
                        try {
                          release.await();
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                      }));
      assertTrue(inside.await(10, TimeUnit.SECONDS));
      boolean[] ran = {false};
      assertFalse(b.runExclusively("hourly-passes", () -> ran[0] = true), "B skips while A runs");
      assertFalse(ran[0]);
      assertTrue(b.runExclusively("another-pass", () -> ran[0] = true), "other names are free");
      release.countDown();
      assertTrue(first.get(10, TimeUnit.SECONDS));
      one.shutdown();
      ran[0] = false;
      assertTrue(b.runExclusively("hourly-passes", () -> ran[0] = true), "free once A is done");
      assertTrue(ran[0]);
    }
  }

  private static boolean found(IndexSynchronizer idx, String word, String id) {
    List<IndexHit> hits = idx.searchText(word, MemoryFilter.activeOf(TENANT), 3).hits();
    return !hits.isEmpty() && hits.get(0).id().equals(id);
  }

  static StoredMemory row(String content) {
    float[] v = new float[384];
    v[Math.floorMod(content.hashCode(), 384)] = 1f;
    Instant now = Instant.now();
    return new StoredMemory(
        Memory.builder()
            .id(UUID.randomUUID().toString())
            .tenantId(TENANT)
            .spaceId("personal/" + TENANT)
            .content(content)
            .category(Category.ENTITIES)
            .memoryType(MemoryType.PINNED)
            .state(MemoryState.ACTIVE)
            .tier(Tier.PERIPHERAL)
            .importance(0.5)
            .confidence(0.5)
            .accessCount(0)
            .tags(List.of())
            .scope("global")
            .relations(Map.of())
            .provenance(Map.of())
            .version(1)
            .createdAt(now)
            .updatedAt(now)
            .build(),
        v,
        MODEL,
        true);
  }
}
