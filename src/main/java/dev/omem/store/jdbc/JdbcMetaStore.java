package dev.omem.store.jdbc;

import dev.omem.store.MetaStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.Optional;

/** The {@code meta} table: key to value. */
public final class JdbcMetaStore implements MetaStore {
  private final JdbcDatabase db;

  public JdbcMetaStore(JdbcDatabase db) {
    this.db = db;
  }

  @Override
  public Optional<String> meta(String key) {
    return db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE key=?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public void putMeta(String key, String value) {
    putAllMeta(Map.of(key, value));
  }

  @Override
  public void putAllMeta(Map<String, String> values) {
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO meta (key, value) VALUES (?,?)"
                      + " ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(values).entrySet()) {
              ps.setString(1, e.getKey());
              ps.setString(2, e.getValue());
              ps.executeUpdate();
            }
          }
          return null;
        });
  }

  @Override
  public String metaIfAbsent(String key, String value) {
    return db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO meta (key, value) VALUES (?,?) ON CONFLICT (key) DO NOTHING")) {
            ps.setString(1, key);
            ps.setString(2, value);
            ps.executeUpdate();
          }
          try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE key=?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getString(1);
            }
          }
        });
  }
}
