package dev.omem.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/** The {@code tenants} table: public ids and the hashes of their secret API keys. */
public final class TenantRepository {
  private final Database db;

  public TenantRepository(Database db) {
    this.db = db;
  }

  public void insert(String id, String name, String keyHash, Instant createdAt) {
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO tenants (id, name, key_hash, status, created_at)"
                      + " VALUES (?, ?, ?, 'active', ?)")) {
            ps.setString(1, id);
            ps.setString(2, name);
            ps.setString(3, keyHash);
            ps.setLong(4, createdAt.toEpochMilli());
            ps.executeUpdate();
          }
          return null;
        });
  }

  /** The active tenant whose key hashes to {@code keyHash}. */
  public Optional<String> findByKeyHash(String keyHash) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id FROM tenants WHERE key_hash = ? AND status = 'active'")) {
            ps.setString(1, keyHash);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
          }
        });
  }

  /** Whether {@code id} names an active tenant. */
  public boolean exists(String id) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT 1 FROM tenants WHERE id = ? AND status = 'active'")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next();
            }
          }
        });
  }
}
