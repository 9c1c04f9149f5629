package dev.omem.store.jdbc;

import dev.omem.store.TenantRepository;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;

/**
 * The {@code tenants} table: public ids, names and status (their keys: {@link
 * dev.omem.store.KeyRepository}).
 */
public final class JdbcTenantRepository implements TenantRepository {
  private final JdbcDatabase db;

  public JdbcTenantRepository(JdbcDatabase db) {
    this.db = db;
  }

  public void insert(String id, String name, Instant createdAt) {
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO tenants (id, name, status, created_at) VALUES (?, ?, 'active', ?)")) {
            ps.setString(1, id);
            ps.setString(2, name);
            ps.setLong(3, createdAt.toEpochMilli());
            ps.executeUpdate();
          }
          return null;
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
