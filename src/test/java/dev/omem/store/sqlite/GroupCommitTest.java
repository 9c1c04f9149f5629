package dev.omem.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.domain.Category;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.Tier;
import dev.omem.index.IndexSynchronizer;
import dev.omem.store.MemoryRepository;
import dev.omem.store.MemoryWrite;
import dev.omem.store.StoredMemory;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite store's group commit ({@link WalSync}) on a real file: the writer commits without an
 * fsync, and every write is durable (an fsync of the log begun after its commit has ended) when its
 * call returns, whichever thread ran that fsync; inside {@code durableAfter} the commits wait for
 * its end, which is what lets the service release its write lock before the fsync.
 */
class GroupCommitTest {
  @TempDir Path dir;

  @Test
  void everyWriteIsDurableWhenItsCallReturnsFromManyThreads() throws Exception {
    Database db = Database.open(dir);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  int notDurable = 0;
                  for (int i = 0; i < 40; i++) {
                    put(db, "k" + thread + "-" + i, "v" + i);
                    long[] mineAndDurable = db.commitsOfThisThreadAndDurable();
                    if (mineAndDurable[0] == 0 || mineAndDurable[1] < mineAndDurable[0]) {
                      notDurable++;
                    }
                  }
                  return notDurable;
                }));
      }
      for (Future<Integer> f : done) {
        assertEquals(0, f.get(), "a write answered before an fsync covered it");
      }
    } finally {
      pool.shutdownNow();
      db.close();
    }
    Database again = Database.open(dir);
    try {
      assertEquals(
          320L,
          (long)
              again.read(
                  c -> count(c.prepareStatement("SELECT count(*) FROM meta WHERE key LIKE 'k%'"))));
    } finally {
      again.close();
    }
  }

  @Test
  void writesInsideDurableAfterAreDurableAtItsEndNotBefore() {
    Database db = Database.open(dir);
    try {
      long[] inside =
          db.durableAfter(
              () -> {
                put(db, "a", "1");
                put(db, "b", "2");
                return db.commitsOfThisThreadAndDurable();
              });
      assertTrue(inside[1] < inside[0], "committed inside, not yet made durable there");
      long[] after = db.commitsOfThisThreadAndDurable();
      assertEquals(inside[0], after[0]);
      assertTrue(after[1] >= after[0], "durable once durableAfter returned");
      // The writer commits without its own fsync (NORMAL = 1).
      assertEquals(1L, (long) db.exclusive(c -> count(c.prepareStatement("PRAGMA synchronous"))));
    } finally {
      db.close();
    }
  }

  @Test
  void durableNowCoversAnotherThreadsCommitNotYetMadeDurable() throws Exception {
    Database db = Database.open(dir);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    CountDownLatch committed = new CountDownLatch(1);
    CountDownLatch checked = new CountDownLatch(1);
    long[] theirs = new long[1];
    try {
      Future<?> other =
          pool.submit(
              () ->
                  db.durableAfter(
                      () -> {
                        put(db, "c", "3");
                        theirs[0] = db.commitsOfThisThreadAndDurable()[0];
                        committed.countDown();
                        awaitQuietly(checked); // its own fsync comes only after this
                        return null;
                      }));
      committed.await();
      assertTrue(db.commitsOfThisThreadAndDurable()[1] < theirs[0], "not durable yet");
      db.durableNow(); // what the index does before it commits
      assertTrue(db.commitsOfThisThreadAndDurable()[1] >= theirs[0]);
      checked.countDown();
      other.get();
    } finally {
      checked.countDown();
      pool.shutdownNow();
      db.close();
    }
  }

  /**
   * The index may apply a write before its writer's fsync (the writer catches the index up after it
   * releases the lock): its commit must make the store durable first, or a power cut would leave an
   * index that claims a sequence number the store lost.
   */
  @Test
  void theIndexCommitsAWriteOnlyOnceTheStoreHasItDurably() throws Exception {
    Database db = Database.open(dir);
    MemoryRepository repo = new SqliteMemoryRepository(db);
    // A shared log: the index prunes none, so no write of its own after the commit syncs for it.
    IndexSynchronizer index =
        IndexSynchronizer.open(repo, dir.resolve("index"), "test-model", true);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    CountDownLatch committed = new CountDownLatch(1);
    CountDownLatch checked = new CountDownLatch(1);
    long[] theirs = new long[1];
    try {
      Future<?> writer =
          pool.submit(
              () ->
                  repo.durableAfter(
                      () -> {
                        repo.apply(new MemoryWrite().insert(stored()), null);
                        theirs[0] = db.commitsOfThisThreadAndDurable()[0];
                        committed.countDown();
                        awaitQuietly(checked); // its own fsync comes only after this
                        return null;
                      }));
      committed.await();
      assertTrue(db.commitsOfThisThreadAndDurable()[1] < theirs[0], "not durable yet");
      index.catchUp();
      index.commit();
      assertTrue(
          db.commitsOfThisThreadAndDurable()[1] >= theirs[0],
          "the index committed a write the store had not made durable");
      checked.countDown();
      writer.get();
    } finally {
      checked.countDown();
      pool.shutdownNow();
      index.close();
      db.close();
    }
  }

  private static StoredMemory stored() {
    Instant t = Instant.parse("2026-12-01T00:00:00Z");
    Memory m =
        Memory.builder()
            .id(UUID.randomUUID().toString())
            .tenantId("t")
            .spaceId("personal/t")
            .content("The deploy runs on Fridays")
            .category(Category.ENTITIES)
            .memoryType(MemoryType.PINNED)
            .state(MemoryState.ACTIVE)
            .tier(Tier.PERIPHERAL)
            .importance(0.5)
            .confidence(0.5)
            .accessCount(0)
            .tags(List.of())
            .scope("global")
            .version(1)
            .createdAt(t)
            .updatedAt(t)
            .build();
    return new StoredMemory(m, new float[] {0.6f, 0.8f, 0f, 0f}, "test-model");
  }

  @Test
  void upkeepOutsideATransactionIsDurableWhenItReturns() {
    Database db = Database.open(dir);
    try {
      db.exclusive(
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO meta(key, value) VALUES ('u', '1')")) {
              return ps.executeUpdate();
            }
          });
      long[] after = db.commitsOfThisThreadAndDurable();
      assertTrue(after[0] > 0 && after[1] >= after[0], "exclusive returned before its fsync");
    } finally {
      db.close();
    }
  }

  /** A write that joins a transaction under way is made durable with it, not before. */
  @Test
  void aNestedWriteIsDurableWithItsOuterTransaction() {
    Database db = Database.open(dir);
    try {
      db.write(
          c -> {
            put(db, "n", "1"); // joins: no commit of its own, so nothing to sync yet
            assertEquals(0L, db.commitsOfThisThreadAndDurable()[0]);
            return null;
          });
      long[] after = db.commitsOfThisThreadAndDurable();
      assertTrue(after[0] == 1 && after[1] >= 1, "the outer write returned before its fsync");
    } finally {
      db.close();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void put(Database db, String key, String value) {
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)")) {
            ps.setString(1, key);
            ps.setString(2, value);
            return ps.executeUpdate();
          }
        });
  }

  private static long count(PreparedStatement ps) throws java.sql.SQLException {
    try (ps;
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
