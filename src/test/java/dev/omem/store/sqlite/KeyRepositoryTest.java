package dev.omem.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.domain.ApiKey;
import dev.omem.store.KeyRepository;
import dev.omem.store.TenantRepository;
import dev.omem.store.jdbc.JdbcKeyRepository;
import dev.omem.store.jdbc.JdbcTenantRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The api_keys table on a real SQLite file: the migration that moves each tenant's one key into it,
 * and the checks that must hold under concurrency (the last active key is never revoked).
 */
class KeyRepositoryTest {
  @TempDir Path dir;

  private static String sha256(String s) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  private static ApiKey key(String id, String name) {
    return new ApiKey(id, name, "omem_abcdefg", Instant.now(), null, null, null);
  }

  @Test
  void existingTenantsKeysMoveIntoTheKeysTableAsDefault() throws Exception {
    Instant created = Instant.parse("2026-11-20T08:00:00Z");
    try (Connection c =
        DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("omem.db").toAbsolutePath())) {
      Migrations.apply(c, Migrations.versionBefore("CREATE TABLE api_keys"));
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO tenants (id, name, key_hash, status, created_at) VALUES (?, ?, ?, ?, ?)")) {
        ps.setString(1, "tenant-a");
        ps.setString(2, "alice");
        ps.setString(3, sha256("omem_secret-of-alice"));
        ps.setString(4, "active");
        ps.setLong(5, created.toEpochMilli());
        ps.executeUpdate();
        ps.setString(1, "tenant-s");
        ps.setString(2, "suspended");
        ps.setString(3, sha256("omem_secret-of-s"));
        ps.setString(4, "suspended");
        ps.executeUpdate();
      }
    }
    try (Database db = Database.open(dir)) {
      assertEquals(Migrations.latestVersion(), db.schemaVersion());
      KeyRepository keys = new JdbcKeyRepository(db);
      KeyRepository.Holder h = keys.findActive(sha256("omem_secret-of-alice")).orElseThrow();
      assertEquals("tenant-a", h.tenantId());
      assertTrue(keys.findActive(sha256("omem_secret-of-s")).isEmpty(), "a suspended tenant");
      List<ApiKey> list = keys.list("tenant-a");
      assertEquals(1, list.size());
      ApiKey k = list.get(0);
      assertEquals("default", k.name());
      assertEquals(h.keyId(), k.id());
      assertTrue(k.id().matches("key_[0-9a-f]{24}"), k.id());
      assertNull(k.prefix(), "only the hash was kept");
      assertEquals(created, k.createdAt());
      assertFalse(k.revoked());
      assertTrue(new JdbcTenantRepository(db).exists("tenant-a"));
      List<String> columns =
          db.read(
              c -> {
                List<String> out = new ArrayList<>();
                try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("PRAGMA table_info(tenants)")) {
                  while (rs.next()) {
                    out.add(rs.getString("name"));
                  }
                }
                return out;
              });
      assertEquals(List.of("id", "name", "status", "created_at"), columns);
    }
  }

  @Test
  void rotationAndRevocationChangeWhichHashMatches() throws Exception {
    try (Database db = Database.open(dir)) {
      new JdbcTenantRepository(db).insert("t", "t", Instant.now());
      KeyRepository keys = new JdbcKeyRepository(db);
      assertEquals(KeyRepository.Outcome.DONE, keys.insert("t", key("key_1", "a"), sha256("1"), 3));
      assertEquals(
          KeyRepository.Outcome.NAME_TAKEN, keys.insert("t", key("key_x", "a"), sha256("x"), 3));
      assertEquals(KeyRepository.Outcome.LAST_KEY, keys.revoke("t", "key_1", Instant.now()));
      assertEquals(KeyRepository.Outcome.DONE, keys.insert("t", key("key_2", "b"), sha256("2"), 3));
      assertEquals(KeyRepository.Outcome.DONE, keys.insert("t", key("key_3", "c"), sha256("3"), 3));
      assertEquals(
          KeyRepository.Outcome.TOO_MANY, keys.insert("t", key("key_4", "d"), sha256("4"), 3));

      assertEquals(
          KeyRepository.Outcome.DONE,
          keys.rotate("t", "key_1", sha256("1b"), "omem_1b", Instant.now()));
      assertTrue(keys.findActive(sha256("1")).isEmpty());
      assertEquals("key_1", keys.findActive(sha256("1b")).orElseThrow().keyId());

      assertEquals(KeyRepository.Outcome.DONE, keys.revoke("t", "key_2", Instant.now()));
      assertTrue(keys.findActive(sha256("2")).isEmpty());
      assertEquals(
          KeyRepository.Outcome.REVOKED,
          keys.rotate("t", "key_2", sha256("2b"), "omem_2b", Instant.now()));
      assertTrue(keys.findActive(sha256("2b")).isEmpty());
      // Another tenant's id: as a missing one, and nothing changes.
      assertEquals(KeyRepository.Outcome.NOT_FOUND, keys.revoke("u", "key_1", Instant.now()));
      assertEquals(
          KeyRepository.Outcome.NOT_FOUND,
          keys.rotate("u", "key_1", sha256("stolen"), "omem_st", Instant.now()));
      assertTrue(keys.findActive(sha256("stolen")).isEmpty());
      assertEquals("t", keys.findActive(sha256("1b")).orElseThrow().tenantId());
    }
  }

  /** Two revocations at once of a tenant's two keys: one passes, one is refused as the last. */
  @Test
  void concurrentRevocationsNeverRevokeTheLastKey() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (Database db = Database.open(dir)) {
      TenantRepository tenants = new JdbcTenantRepository(db);
      KeyRepository keys = new JdbcKeyRepository(db);
      for (int round = 0; round < 20; round++) {
        String t = "t" + round;
        tenants.insert(t, t, Instant.now());
        keys.insert(t, key(t + "a", "a"), sha256(t + "a"), 50);
        keys.insert(t, key(t + "b", "b"), sha256(t + "b"), 50);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<KeyRepository.Outcome>> both = new ArrayList<>();
        for (String id : List.of(t + "a", t + "b")) {
          both.add(
              pool.submit(
                  () -> {
                    go.await();
                    return keys.revoke(t, id, Instant.now());
                  }));
        }
        go.countDown();
        List<KeyRepository.Outcome> outcomes = new ArrayList<>();
        for (Future<KeyRepository.Outcome> f : both) {
          outcomes.add(f.get());
        }
        assertTrue(
            outcomes.contains(KeyRepository.Outcome.DONE)
                && outcomes.contains(KeyRepository.Outcome.LAST_KEY),
            outcomes.toString());
        assertEquals(1, keys.list(t).stream().filter(k -> !k.revoked()).count());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
