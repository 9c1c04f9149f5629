package dev.omem.store.sqlite;

import static org.junit.jupiter.api.Assertions.*;

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
import dev.omem.store.StoredMemory;
import dev.omem.store.jdbc.JdbcImportRepository;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retention purge at the store's level: rows, history and import links go, the change log
 * carries each purge, and an index that was committed before the purge follows it by catching up.
 */
class MemoryPurgeTest {
  static final String MODEL = "test-model";
  static final Instant NOW = Instant.parse("2026-12-05T00:00:00Z");

  @TempDir Path home;
  Database db;
  MemoryRepository repo;

  @BeforeEach
  void open() {
    db = Database.open(home);
    repo = new SqliteMemoryRepository(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  /** A memory deleted {@code daysAgo} days ago (or active when negative), with its history. */
  Memory put(String content, int daysAgo) {
    Instant created = NOW.minus(Duration.ofDays(40));
    Memory m = memory(content, MemoryState.ACTIVE, created);
    repo.apply(
        new MemoryWrite()
            .insert(new StoredMemory(m, new float[] {1f, 0f, 0f, 0f}, MODEL))
            .history(
                m,
                new HistoryEntry(
                    HistoryEntry.Action.CREATED, created, null, null, null, null, null)),
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

  /** A memory in {@code state}, last changed at {@code at}. */
  static Memory memory(String content, MemoryState state, Instant at) {
    Instant created = NOW.minus(Duration.ofDays(40));
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
        .createdAt(created)
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
  void purgesOnlyWhatWasDeletedBeforeTheCutoffAndTheIndexFollowsThroughTheChangeLog() {
    Memory old = put("deleted thirty-one days ago", 31);
    Memory recent = put("deleted twenty-nine days ago", 29);
    Memory active = put("still here", -1);
    Path indexDir = home.resolve("index");
    try (IndexSynchronizer sync = IndexSynchronizer.open(repo, indexDir, MODEL)) {
      assertEquals(3, sync.index().count());
    } // closed: committed, the change log pruned through its seq
    long seqBefore = repo.lastSeq();

    long purged = new MemoryPurge(db).purgeDeletedBefore(NOW.minus(Duration.ofDays(30)));

    assertEquals(1, purged);
    assertTrue(repo.findStored(List.of(old.id())).isEmpty(), "the row is gone");
    assertEquals(0, count("SELECT count(*) FROM memory_history WHERE memory_id=?", old.id()));
    assertEquals(0, count("SELECT count(*) FROM import_items WHERE memory_id=?", old.id()));
    assertEquals(2, count("SELECT count(*) FROM memory_history WHERE memory_id=?", recent.id()));
    assertEquals(1, count("SELECT count(*) FROM import_items WHERE memory_id=?", recent.id()));
    assertEquals(
        2, repo.findStored(List.of(recent.id(), active.id())).size(), "the others are kept");
    List<Change> log = repo.changesAfter(seqBefore, 10);
    assertEquals(List.of(old.id()), log.stream().map(Change::memoryId).toList());

    // The index committed before the purge catches up from the log and deletes the document.
    try (IndexSynchronizer sync = IndexSynchronizer.open(repo, indexDir, MODEL)) {
      assertEquals(2, sync.index().count());
      assertEquals(0, sync.lag());
      assertEquals(2, sync.rebuild(), "a fresh rebuild from SQLite agrees");
      assertEquals(2, sync.index().count());
    }
    assertEquals(0, new MemoryPurge(db).purgeDeletedBefore(NOW.minus(Duration.ofDays(30))));
  }

  @Test
  void purgesInBatchesBeyondOneTransaction() {
    List<StoredMemory> rows = new java.util.ArrayList<>();
    for (int i = 0; i < 1_203; i++) {
      rows.add(
          new StoredMemory(
              memory("gone " + i, MemoryState.DELETED, NOW.minus(Duration.ofDays(45))),
              null,
              null));
    }
    repo.apply(MemoryWrite.insertAll(rows), null);
    put("kept", -1);
    assertEquals(1_203, new MemoryPurge(db).purgeDeletedBefore(NOW.minus(Duration.ofDays(30))));
    assertEquals(1, repo.countAll());
  }
}
