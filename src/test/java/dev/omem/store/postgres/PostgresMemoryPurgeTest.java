package dev.omem.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.domain.Category;
import dev.omem.domain.HistoryEntry;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.Tier;
import dev.omem.index.IndexSynchronizer;
import dev.omem.store.Change;
import dev.omem.store.MemoryRepository;
import dev.omem.store.MemoryWrite;
import dev.omem.store.Storage;
import dev.omem.store.StoredMemory;
import dev.omem.store.jdbc.JdbcImportRepository;
import dev.omem.testing.PostgresCluster;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retention purge on PostgreSQL (issue 16: purges work there too): rows, history and import
 * links go, the change log carries each purge so another node's index drops it, and two nodes
 * purging at once purge every memory exactly once.
 */
class PostgresMemoryPurgeTest {
  static final String MODEL = "test-model";
  static final Instant NOW = Instant.parse("2026-12-05T00:00:00Z");
  private static String url;

  @TempDir Path home;
  PostgresDatabase db;
  Storage storage;
  MemoryRepository repo;

  @BeforeEach
  void open() {
    PostgresCluster cluster = PostgresCluster.shared();
    if (url == null) {
      url = cluster.newDatabase("purge");
    } else {
      cluster.empty(url);
    }
    db = PostgresDatabase.open(url);
    storage = PostgresStorage.of(db);
    repo = storage.memories();
  }

  @AfterEach
  void close() {
    storage.close();
  }

  /** A memory deleted {@code daysAgo} days ago (or active when negative), with its history. */
  Memory put(String content, int daysAgo) {
    Memory m = memory(content, MemoryState.ACTIVE, NOW.minus(Duration.ofDays(40)));
    repo.apply(
        new MemoryWrite()
            .insert(new StoredMemory(m, new float[] {1f, 0f, 0f, 0f}, MODEL))
            .history(
                m,
                new HistoryEntry(
                    HistoryEntry.Action.CREATED, m.createdAt(), null, null, null, null, null)),
        () -> new JdbcImportRepository(db).addItems("i1", List.of(m.id())));
    if (daysAgo < 0) {
      return m;
    }
    Instant at = NOW.minus(Duration.ofDays(daysAgo));
    Memory d = m.edited(null, null, null, null, MemoryState.DELETED, at);
    repo.apply(
        new MemoryWrite()
            .rewrite(d)
            .history(
                d, new HistoryEntry(HistoryEntry.Action.DELETED, at, null, null, null, null, null)),
        null);
    return d;
  }

  static Memory memory(String content, MemoryState state, Instant at) {
    return Memory.builder()
        .id(UUID.randomUUID().toString())
        .tenantId("t")
        .spaceId("personal/t")
        .content(content)
        .category(Category.ENTITIES)
        .memoryType(MemoryType.PINNED)
        .state(state)
        .tier(Tier.PERIPHERAL)
        .importance(0.5)
        .confidence(0.5)
        .accessCount(0)
        .tags(List.of())
        .scope("global")
        .relations(Map.of())
        .provenance(Map.of())
        .version(1)
        .createdAt(NOW.minus(Duration.ofDays(40)))
        .updatedAt(at)
        .build();
  }

  long count(String sql, String id) {
    return db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  @Test
  void purgesOnlyWhatWasDeletedBeforeTheCutoffAndAnotherNodesIndexFollows() {
    Memory old = put("deleted thirty-one days ago", 31);
    Memory recent = put("deleted twenty-nine days ago", 29);
    Memory active = put("still here", -1);
    try (IndexSynchronizer node =
        IndexSynchronizer.open(repo, home.resolve("index"), MODEL, true)) {
      assertTrue(node.awaitHealthy(Duration.ofSeconds(30)));
      node.catchUp();
      assertEquals(3, node.documents());
      long seqBefore = repo.lastSeq();

      long purged = storage.upkeep().purgeDeletedBefore(NOW.minus(Duration.ofDays(30)));

      assertEquals(1, purged);
      assertTrue(repo.findStored(List.of(old.id())).isEmpty(), "the row is gone");
      assertEquals(0, count("SELECT count(*) FROM memory_history WHERE memory_id=?", old.id()));
      assertEquals(0, count("SELECT count(*) FROM import_items WHERE memory_id=?", old.id()));
      assertEquals(2, count("SELECT count(*) FROM memory_history WHERE memory_id=?", recent.id()));
      assertEquals(1, count("SELECT count(*) FROM import_items WHERE memory_id=?", recent.id()));
      assertEquals(2, repo.findStored(List.of(recent.id(), active.id())).size(), "others kept");
      List<Change> log = repo.changesAfter(seqBefore, 10);
      assertEquals(List.of(old.id()), log.stream().map(Change::memoryId).toList());

      node.catchUp(); // what its follower does at the purge's notification
      assertEquals(2, node.documents(), "the node's index dropped the purged memory");
      assertEquals(0, node.lag());
    }
    assertEquals(0, storage.upkeep().purgeDeletedBefore(NOW.minus(Duration.ofDays(30))));
  }

  @Test
  void twoNodesPurgingAtOncePurgeEachMemoryOnce() throws Exception {
    List<StoredMemory> rows = new ArrayList<>();
    for (int i = 0; i < 1_203; i++) {
      rows.add(
          new StoredMemory(
              memory("gone " + i, MemoryState.DELETED, NOW.minus(Duration.ofDays(45))),
              null,
              null));
    }
    repo.apply(MemoryWrite.insertAll(rows), null);
    put("kept", -1);
    long seqBefore = repo.lastSeq();
    try (Storage other = PostgresStorage.open(url)) {
      Instant cutoff = NOW.minus(Duration.ofDays(30));
      CompletableFuture<Long> a =
          CompletableFuture.supplyAsync(() -> storage.upkeep().purgeDeletedBefore(cutoff));
      CompletableFuture<Long> b =
          CompletableFuture.supplyAsync(() -> other.upkeep().purgeDeletedBefore(cutoff));
      assertEquals(1_203, a.get() + b.get(), "every memory purged, none twice");
    }
    assertEquals(1, repo.countAll());
    List<Change> log = repo.changesAfter(seqBefore, 5_000);
    assertEquals(1_203, log.size());
    assertEquals(1_203, new HashSet<>(log.stream().map(Change::memoryId).toList()).size());
  }
}
