package dev.omem.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.domain.Memory;
import dev.omem.domain.MemoryState;
import dev.omem.domain.OmemException;
import dev.omem.store.ContentHash;
import dev.omem.store.MemoryRepository;
import dev.omem.store.MemoryWrite;
import dev.omem.store.StoredMemory;
import dev.omem.store.UniqueActive;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migration 13 (issue 15): a store that already holds duplicates (older builds' races) and shared
 * copies migrates with every row kept as it was; afterwards the unique index refuses a second
 * active row of the same text, partition and scope, and lets an allowed one through.
 */
class UniqueActiveMigrationTest {
  @TempDir Path dir;

  private static String row(String id, String tenant, String content, String state, String prov) {
    return "INSERT INTO memories (id, tenant_id, space_id, content, content_hash, category,"
        + " memory_type, state, tier, importance, confidence, scope, provenance, created_at,"
        + " updated_at) VALUES ('"
        + id
        + "', '"
        + tenant
        + "', 'personal/"
        + tenant
        + "', '"
        + content
        + "', '"
        + ContentHash.of(content)
        + "', 'preferences', 'pinned', '"
        + state
        + "', 'peripheral', 0.5, 0.5, 'global', '"
        + prov
        + "', 1, 1)";
  }

  @Test
  void duplicatesAlreadyStoredMigrateAndNewOnesAreRefused() throws Exception {
    try (Connection c =
        DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("omem.db").toAbsolutePath())) {
      Migrations.apply(c, Migrations.versionBefore("duplicate_allowed"));
      try (Statement s = c.createStatement()) {
        s.execute(row("a1", "t", "Uses pnpm", "active", "{}"));
        s.execute(row("a2", "t", "Uses pnpm", "active", "{}")); // a race of an older build
        s.execute(row("a3", "t", "uses pnpm.", "active", "{}")); // the same statement, normalised
        s.execute(row("d1", "t", "Uses pnpm", "deleted", "{}"));
        s.execute(row("s1", "t", "Uses pnpm", "active", "{\"shared_from_memory\":\"x\"}"));
        s.execute(row("o1", "u", "Uses pnpm", "active", "{}")); // another partition
      }
    }
    Database db = Database.open(dir);
    try {
      assertEquals(Migrations.latestVersion(), db.schemaVersion());
      MemoryRepository repo = new SqliteMemoryRepository(db);
      for (String id : List.of("a1", "a2", "a3", "s1")) {
        assertEquals(MemoryState.ACTIVE, repo.find("t", id).orElseThrow().state(), id + " kept");
      }
      assertEquals(
          List.of("a2", "a3", "s1"),
          db.read(
              c -> {
                try (Statement s = c.createStatement();
                    ResultSet rs =
                        s.executeQuery(
                            "SELECT id FROM memories WHERE duplicate_allowed = 1 ORDER BY id")) {
                  List<String> ids = new java.util.ArrayList<>();
                  while (rs.next()) {
                    ids.add(rs.getString(1));
                  }
                  return ids;
                }
              }),
          "the oldest of each group stays in the index; later ones and copies are allowed");

      Memory again = repo.find("t", "a1").orElseThrow().toBuilder().id("a4").build();
      OmemException refused =
          assertThrows(
              OmemException.class,
              () ->
                  repo.apply(new MemoryWrite().insert(new StoredMemory(again, null, null)), null));
      assertTrue(UniqueActive.violatedBy(refused), refused.toString());
      assertTrue(repo.find("t", "a4").isEmpty(), "nothing of the refused write is stored");

      // An allowed row (a shared copy, a forced import), and the same text in another scope.
      repo.apply(new MemoryWrite().insert(new StoredMemory(again, null, null, true)), null);
      Memory project = again.toBuilder().id("a5").scope("project:github.com/acme/app").build();
      repo.apply(new MemoryWrite().insert(new StoredMemory(project, null, null)), null);
      // Restoring a deleted twin while the text is active is refused too.
      Memory restored =
          repo.find("t", "d1")
              .orElseThrow()
              .edited(null, null, null, null, MemoryState.ACTIVE, java.time.Instant.now());
      assertTrue(
          UniqueActive.violatedBy(
              assertThrows(
                  OmemException.class,
                  () -> repo.apply(new MemoryWrite().rewrite(restored), null))));
    } finally {
      db.close();
    }
  }
}
