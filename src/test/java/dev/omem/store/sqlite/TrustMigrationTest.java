package dev.omem.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.domain.Memory;
import dev.omem.domain.Trust;
import dev.omem.store.MemoryRepository;
import dev.omem.store.MemoryWrite;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Migration 12 (issue 14): memories stored before it stay trusted; the new columns round-trip. */
class TrustMigrationTest {
  @TempDir Path dir;

  @Test
  void olderMemoriesStayConfirmedAndCleanAndTrustIsStored() throws Exception {
    try (Connection c =
        DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("omem.db").toAbsolutePath())) {
      Migrations.apply(c, Migrations.versionBefore("ADD COLUMN confirmed"));
      try (Statement s = c.createStatement()) {
        s.execute(
            "INSERT INTO memories (id, tenant_id, space_id, content, content_hash, category,"
                + " memory_type, state, tier, importance, confidence, scope, created_at,"
                + " updated_at) VALUES ('m1', 't', 'personal/t', 'Uses pnpm', 'h', 'preferences',"
                + " 'insight', 'active', 'peripheral', 0.5, 0.5, 'global', 1, 1)");
      }
    }
    Database db = Database.open(dir);
    try {
      assertEquals(Migrations.latestVersion(), db.schemaVersion());
      MemoryRepository repo = new SqliteMemoryRepository(db);
      Memory old = repo.find("t", "m1").orElseThrow();
      assertFalse(old.unconfirmed(), "stored before trust existed: trusted as it was");
      assertNull(old.trust().flag());

      repo.apply(
          new MemoryWrite()
              .rewrite(old.withTrust(new Trust(false, "tool-call syntax")), false, null, null),
          null);
      Memory back = repo.find("t", "m1").orElseThrow();
      assertTrue(back.unconfirmed());
      assertEquals("tool-call syntax", back.trust().flag());
    } finally {
      db.close();
    }
  }
}
