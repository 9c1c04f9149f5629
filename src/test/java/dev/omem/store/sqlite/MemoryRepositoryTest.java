package dev.omem.store.sqlite;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.domain.Category;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.Tier;
import dev.omem.store.Change;
import dev.omem.store.ListSort;
import dev.omem.store.MemoryRepository;
import dev.omem.store.MemoryWrite;
import dev.omem.store.StoredMemory;
import dev.omem.store.Vectors;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryRepositoryTest {
  @TempDir Path dir;
  Database db;
  MemoryRepository repo;

  @BeforeEach
  void open() {
    db = Database.open(dir);
    repo = new SqliteMemoryRepository(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  static Memory memory(String content, Category cat, String scope, List<String> tags, Instant at) {
    return Memory.builder()
        .id(UUID.randomUUID().toString())
        .tenantId("t1")
        .spaceId("personal/t1")
        .content(content)
        .category(cat)
        .memoryType(MemoryType.PINNED)
        .state(MemoryState.ACTIVE)
        .tier(Tier.PERIPHERAL)
        .importance(0.5)
        .confidence(0.5)
        .accessCount(0)
        .tags(tags)
        .scope(scope)
        .agentId("agent")
        .sessionId("s1")
        .source("test")
        .relations(Map.of("supports", List.of("x")))
        .provenance(Map.of("k", "v"))
        .version(1)
        .createdAt(at)
        .updatedAt(at)
        .build();
  }

  @Test
  void schemaIsMigratedAndWalIsOn() throws Exception {
    assertEquals(Migrations.latestVersion(), db.schemaVersion());
    String mode =
        db.read(
            c -> {
              try (Statement s = c.createStatement();
                  ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                return rs.getString(1);
              }
            });
    assertEquals("wal", mode);
    db.close();
    db = Database.open(dir); // reopening migrates nothing and keeps the version
    repo = new SqliteMemoryRepository(db);
    assertEquals(Migrations.latestVersion(), db.schemaVersion());
  }

  @Test
  void insertKeepsEveryFieldAndTheVectorAndLogsTheChange() {
    Instant t = Instant.parse("2026-11-01T10:00:00Z");
    Memory m = memory("Use tabs", Category.PREFERENCES, "global", List.of("style"), t);
    float[] v = {0.6f, -0.8f, 0f};
    long seq = repo.apply(new MemoryWrite().insert(new StoredMemory(m, v, "model-a")), null);
    assertEquals(m, repo.find("t1", m.id()).orElseThrow());
    assertTrue(repo.find("other-tenant", m.id()).isEmpty(), "tenants never see each other");
    StoredMemory s = repo.findStored(List.of(m.id())).get(m.id());
    assertArrayEquals(v, s.vector());
    assertEquals("model-a", s.model());
    assertEquals(
        List.of(new Change(seq, m.id())),
        repo.changesAfter(0, 10).stream().map(Change::bare).toList());
    assertEquals(seq, repo.lastSeq());
  }

  @Test
  void updateKeepsTheVectorUnlessContentChanged() {
    Instant t = Instant.now();
    Memory m = memory("a", Category.ENTITIES, "global", List.of(), t);
    repo.apply(new MemoryWrite().insert(new StoredMemory(m, new float[] {1f, 0f}, "m")), null);
    Memory retagged = withContent(m, "a", List.of("x"));
    repo.apply(new MemoryWrite().rewrite(retagged, false, null, null), null);
    assertArrayEquals(new float[] {1f, 0f}, repo.findStored(List.of(m.id())).get(m.id()).vector());
    repo.apply(
        new MemoryWrite().rewrite(withContent(m, "b", List.of("x")), true, null, null), null);
    assertNull(repo.findStored(List.of(m.id())).get(m.id()).vector(), "stale vector dropped");
    assertEquals(Map.of(m.id(), "b"), repo.withoutEmbedding("m", 10));
    assertEquals(3, repo.changesAfter(0, 10).size());
  }

  @Test
  void backfillDoesNotOverwriteAVectorIfContentChangedMeanwhile() {
    Memory m = memory("old text", Category.ENTITIES, "global", List.of(), Instant.now());
    repo.apply(new MemoryWrite().insert(new StoredMemory(m, null, null)), null);
    repo.apply(
        new MemoryWrite().rewrite(withContent(m, "new text", List.of()), true, null, null), null);
    repo.setEmbedding(m.id(), "old text", new float[] {1f}, "m");
    assertNull(repo.findStored(List.of(m.id())).get(m.id()).vector());
    repo.setEmbedding(m.id(), "new text", new float[] {1f}, "m");
    assertArrayEquals(new float[] {1f}, repo.findStored(List.of(m.id())).get(m.id()).vector());
  }

  @Test
  void listFiltersByScopeTagsCategoryStateAndTimeAndCountsTotal() {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    Memory a = memory("a", Category.PREFERENCES, "global", List.of("x", "y"), t0);
    Memory b = memory("b", Category.CASES, "project:p", List.of("x"), t0.plusSeconds(60));
    Memory c = memory("c", Category.CASES, "project:q", List.of("y"), t0.plusSeconds(120));
    repo.apply(new MemoryWrite().insert(new StoredMemory(a, null, null)), null);
    repo.apply(new MemoryWrite().insert(new StoredMemory(b, null, null)), null);
    repo.apply(new MemoryWrite().insert(new StoredMemory(c, null, null)), null);
    MemoryFilter all = MemoryFilter.activeOf("t1");
    assertEquals(3, repo.list(all, ListSort.CREATED_AT, false, 10, 0).totalCount());
    assertEquals(
        List.of("c", "b", "a"),
        repo.list(all, ListSort.CREATED_AT, false, 10, 0).memories().stream()
            .map(Memory::content)
            .toList());
    assertEquals(
        List.of("b"),
        repo.list(all, ListSort.CREATED_AT, false, 1, 1).memories().stream()
            .map(Memory::content)
            .toList(),
        "offset and limit page through");
    MemoryFilter scoped = all.withScopes(Set.of("global", "project:p"));
    assertEquals(2, repo.list(scoped, ListSort.CREATED_AT, false, 10, 0).totalCount());
    MemoryFilter tagged = MemoryFilter.builder("t1").tags(List.of("x", "y")).build();
    assertEquals(
        List.of("a"),
        repo.list(tagged, ListSort.CREATED_AT, true, 10, 0).memories().stream()
            .map(Memory::content)
            .toList(),
        "tags are AND-ed");
    MemoryFilter cases =
        MemoryFilter.builder("t1")
            .categories(Set.of(Category.CASES))
            .createdAfter(t0.plusSeconds(90))
            .build();
    assertEquals(1, repo.list(cases, ListSort.CREATED_AT, true, 10, 0).totalCount());
    repo.apply(
        new MemoryWrite().rewrite(withState(a, MemoryState.ARCHIVED), false, null, null), null);
    assertEquals(2, repo.list(all, ListSort.CREATED_AT, true, 10, 0).totalCount());
  }

  @Test
  void duplicatesAreFoundByNormalisedTextWithinAScope() {
    Memory m = memory("Use  Tabs.", Category.PREFERENCES, "global", List.of(), Instant.now());
    repo.apply(new MemoryWrite().insert(new StoredMemory(m, null, null)), null);
    assertTrue(repo.findActiveDuplicate("t1", "global", "use tabs").isPresent());
    assertTrue(repo.findActiveDuplicate("t1", "project:p", "use tabs").isEmpty());
    assertTrue(repo.findActiveDuplicate("t1", "global", "use spaces").isEmpty());
  }

  @Test
  void vectorsRoundTripAsLittleEndianFloat32() {
    float[] v = {1.5f, -2.25f, Float.MIN_VALUE};
    byte[] blob = Vectors.toBlob(v);
    assertEquals(12, blob.length);
    assertEquals(0, blob[0]); // 1.5f = 0x3FC00000, little-endian: 00 00 C0 3F
    assertEquals((byte) 0x3F, blob[3]);
    assertArrayEquals(v, Vectors.fromBlob(blob));
  }

  static Memory withContent(Memory m, String content, List<String> tags) {
    return m.edited(content, tags, null, null, null, Instant.now());
  }

  static Memory withState(Memory m, MemoryState state) {
    return m.edited(null, null, null, null, state, Instant.now());
  }
}
