package dev.omem.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.domain.Category;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.Tier;
import dev.omem.store.Change;
import dev.omem.store.MemoryWrite;
import dev.omem.store.Storage;
import dev.omem.store.StoredMemory;
import dev.omem.testing.PostgresCluster;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The change log's order on PostgreSQL with writers on two "nodes" (two pools on one database): a
 * follower reading "seq > last" never skips a write that commits later, and each commit is
 * announced on {@link PostgresChangeLog#CHANNEL}.
 */
class PostgresChangeLogTest {
  private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

  private String url;
  private Storage node1;
  private Storage node2;
  private final ExecutorService pool = Executors.newFixedThreadPool(6);

  @BeforeEach
  void open() {
    url = PostgresCluster.shared().newDatabase("changelog");
    node1 = PostgresStorage.open(url);
    node2 = PostgresStorage.open(url);
  }

  @AfterEach
  void close() {
    pool.shutdownNow();
    node1.close();
    node2.close();
  }

  private static StoredMemory row(String id) {
    Memory m =
        Memory.builder()
            .id(id)
            .tenantId("t1")
            .spaceId("personal/t1")
            .content("memory " + id)
            .category(Category.ENTITIES)
            .memoryType(MemoryType.PINNED)
            .state(MemoryState.ACTIVE)
            .tier(Tier.PERIPHERAL)
            .importance(0.5)
            .confidence(0.5)
            .scope("global")
            .createdAt(T0)
            .updatedAt(T0)
            .build();
    return new StoredMemory(m, null, null);
  }

  @Test
  void aLaterWriterWaitsForTheEarlierOneToCommitSoNoSmallerSeqAppearsLate() throws Exception {
    CountDownLatch appended = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<Long> first =
        pool.submit(
            () ->
                node1
                    .memories()
                    .apply(
                        new MemoryWrite().insert(row("m1")),
                        () -> {
                          appended.countDown();
                          await(release); // m1 holds seq 1, not yet committed
                        }));
    assertTrue(appended.await(30, TimeUnit.SECONDS));
    Future<Long> second =
        pool.submit(() -> node2.memories().apply(new MemoryWrite().insert(row("m2")), null));
    Thread.sleep(500);
    // With a sequence, m2 would have committed seq 2 by now and a follower reading seq > 0 would
    // have moved past 1, never to read m1. Here m2's writer waits for m1's commit.
    assertFalse(second.isDone(), "the second writer waits for the first to commit");
    assertEquals(List.of(), node2.memories().changesAfter(0, 10), "nothing committed yet");
    release.countDown();
    assertEquals(1L, first.get(30, TimeUnit.SECONDS));
    assertEquals(2L, second.get(30, TimeUnit.SECONDS));
    assertEquals(
        List.of(new Change(1, "m1"), new Change(2, "m2")),
        node1.memories().changesAfter(0, 10).stream().map(Change::bare).toList());
  }

  @Test
  void aFollowerSeesEveryCommittedWriteOnceAndInOrderUnderConcurrentWritersAndRollbacks()
      throws Exception {
    int writers = 4;
    int perWriter = 30;
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger committed = new AtomicInteger();
    List<Future<?>> jobs = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      Storage node = w % 2 == 0 ? node1 : node2;
      int writer = w;
      jobs.add(
          pool.submit(
              () -> {
                for (int i = 0; i < perWriter; i++) {
                  String id = "w" + writer + "-" + i;
                  boolean fail = i % 7 == 3; // some transactions roll back after appending
                  try {
                    node.memories()
                        .apply(
                            new MemoryWrite().insert(row(id)),
                            () -> {
                              if (fail) {
                                throw new IllegalStateException("rolled back");
                              }
                            });
                    committed.incrementAndGet();
                  } catch (IllegalStateException e) {
                    assertTrue(fail);
                  }
                }
                return null;
              }));
    }
    // The follower polls as an index does: everything after the last seq it applied.
    Future<List<Change>> follower =
        pool.submit(
            () -> {
              List<Change> seen = new ArrayList<>();
              long last = 0;
              while (true) {
                boolean more = writing.get();
                List<Change> batch = node2.memories().changesAfter(last, 7);
                for (Change c : batch) {
                  assertEquals(last + 1, c.seq(), "no seq skipped, none out of order");
                  last = c.seq();
                  seen.add(c);
                }
                if (batch.isEmpty() && !more) {
                  return seen;
                }
              }
            });
    for (Future<?> j : jobs) {
      j.get(120, TimeUnit.SECONDS);
    }
    writing.set(false);
    List<Change> seen = follower.get(60, TimeUnit.SECONDS);
    assertEquals(committed.get(), seen.size(), "every committed write once, no gap");
    Set<String> ids = new HashSet<>();
    seen.forEach(c -> assertTrue(ids.add(c.memoryId())));
    assertTrue(
        ids.stream().noneMatch(id -> Integer.parseInt(id.substring(id.indexOf('-') + 1)) % 7 == 3),
        "no rolled-back write is in the log");
    assertEquals(committed.get(), node1.memories().lastSeq());
  }

  @Test
  void aCommittedChangeIsAnnouncedAndARolledBackOneIsNot() throws Exception {
    PostgresCluster cluster = PostgresCluster.shared();
    try (Connection listener = cluster.connect(PostgresCluster.databaseOf(url));
        Statement s = listener.createStatement()) {
      s.execute("LISTEN " + PostgresChangeLog.CHANNEL);
      PGConnection pg = listener.unwrap(PGConnection.class);
      assertThrows(
          IllegalStateException.class,
          () ->
              node1
                  .memories()
                  .apply(
                      new MemoryWrite().insert(row("lost")),
                      () -> {
                        throw new IllegalStateException("rolled back");
                      }));
      long seq = node1.memories().apply(new MemoryWrite().insert(row("kept")), null);
      PGNotification[] got = pg.getNotifications(10_000);
      assertEquals(1, got.length);
      assertEquals(PostgresChangeLog.CHANNEL, got[0].getName());
      assertEquals(String.valueOf(seq), got[0].getParameter(), "the committed seq, not the lost");
      assertEquals(1L, seq, "the rolled-back write gave its number back");
      PGNotification[] more = pg.getNotifications(300);
      assertEquals(0, more == null ? 0 : more.length, "nothing else was announced");
    }
  }

  private static void await(CountDownLatch l) {
    try {
      l.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
