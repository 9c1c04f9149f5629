package dev.omem.store.jdbc;

import dev.omem.domain.ApiKey;
import dev.omem.store.KeyRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link KeyRepository} over the {@code api_keys} table . */
public final class JdbcKeyRepository implements KeyRepository {
  private static final String COLUMNS =
      "id, name, prefix, created_at, last_used_at, rotated_at, revoked_at";

  private final JdbcDatabase db;

  public JdbcKeyRepository(JdbcDatabase db) {
    this.db = db;
  }

  @Override
  public Outcome insert(String tenantId, ApiKey key, String keyHash, int maxActive) {
    return db.write(
        c -> {
          lockTenant(c, tenantId);
          if (activeNamed(c, tenantId, key.name())) {
            return Outcome.NAME_TAKEN;
          }
          if (activeCount(c, tenantId) >= maxActive) {
            return Outcome.TOO_MANY;
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO api_keys (id, tenant_id, name, prefix, key_hash, created_at)"
                      + " VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, key.id());
            ps.setString(2, tenantId);
            ps.setString(3, key.name());
            ps.setString(4, key.prefix());
            ps.setString(5, keyHash);
            ps.setLong(6, key.createdAt().toEpochMilli());
            ps.executeUpdate();
          }
          return Outcome.DONE;
        });
  }

  @Override
  public List<ApiKey> list(String tenantId) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM api_keys WHERE tenant_id = ? ORDER BY created_at, "
                      + db.dialect().insertionOrder())) {
            ps.setString(1, tenantId);
            List<ApiKey> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(key(rs));
              }
            }
            return out;
          }
        });
  }

  @Override
  public Optional<ApiKey> find(String tenantId, String keyId) {
    return db.read(c -> find(c, tenantId, keyId));
  }

  @Override
  public Outcome rotate(String tenantId, String keyId, String keyHash, String prefix, Instant at) {
    return db.write(
        c -> {
          Optional<ApiKey> k = find(c, tenantId, keyId);
          if (k.isEmpty()) {
            return Outcome.NOT_FOUND;
          }
          if (k.get().revoked()) {
            return Outcome.REVOKED;
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE api_keys SET key_hash = ?, prefix = ?, rotated_at = ? WHERE id = ?")) {
            ps.setString(1, keyHash);
            ps.setString(2, prefix);
            ps.setLong(3, at.toEpochMilli());
            ps.setString(4, keyId);
            ps.executeUpdate();
          }
          return Outcome.DONE;
        });
  }

  @Override
  public Outcome revoke(String tenantId, String keyId, Instant at) {
    return db.write(
        c -> {
          Optional<ApiKey> k = find(c, tenantId, keyId);
          if (k.isEmpty()) {
            return Outcome.NOT_FOUND;
          }
          if (k.get().revoked()) {
            return Outcome.DONE;
          }
          lockTenant(c, tenantId);
          if (activeCount(c, tenantId) <= 1) {
            return Outcome.LAST_KEY;
          }
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE api_keys SET revoked_at = ? WHERE id = ?")) {
            ps.setLong(1, at.toEpochMilli());
            ps.setString(2, keyId);
            ps.executeUpdate();
          }
          return Outcome.DONE;
        });
  }

  @Override
  public Optional<Holder> findActive(String keyHash) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT k.id, k.tenant_id, k.last_used_at FROM api_keys k"
                      + " JOIN tenants t ON t.id = k.tenant_id"
                      + " WHERE k.key_hash = ? AND k.revoked_at IS NULL AND t.status = 'active'")) {
            ps.setString(1, keyHash);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next()
                  ? Optional.of(new Holder(rs.getString(1), rs.getString(2), instant(rs, 3)))
                  : Optional.empty();
            }
          }
        });
  }

  @Override
  public void touch(String keyId, Instant at) {
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE api_keys SET last_used_at = ? WHERE id = ?")) {
            ps.setLong(1, at.toEpochMilli());
            ps.setString(2, keyId);
            ps.executeUpdate();
          }
          return null;
        });
  }

  /**
   * Serialises the tenant's key changes across nodes until commit, where the database has such a
   * lock: the name and count checks before an insert or a revoke then hold when it is written.
   */
  private void lockTenant(Connection c, String tenantId) throws SQLException {
    String lock = db.dialect().tenantKeyLock();
    if (lock == null) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(lock)) {
      ps.setString(1, tenantId);
      ps.execute();
    }
  }

  private static Optional<ApiKey> find(Connection c, String tenantId, String keyId)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM api_keys WHERE tenant_id = ? AND id = ?")) {
      ps.setString(1, tenantId);
      ps.setString(2, keyId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(key(rs)) : Optional.empty();
      }
    }
  }

  private static boolean activeNamed(Connection c, String tenantId, String name)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM api_keys WHERE tenant_id = ? AND name = ? AND revoked_at IS NULL")) {
      ps.setString(1, tenantId);
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static int activeCount(Connection c, String tenantId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*) FROM api_keys WHERE tenant_id = ? AND revoked_at IS NULL")) {
      ps.setString(1, tenantId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    }
  }

  private static ApiKey key(ResultSet rs) throws SQLException {
    return new ApiKey(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        instant(rs, 4),
        instant(rs, 5),
        instant(rs, 6),
        instant(rs, 7));
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }
}
