package dev.omem.store.jdbc;

import dev.omem.store.SessionNeighbours;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Session neighbours by insertion order ({@link SqlDialect#insertionOrder}). */
public final class JdbcSessionNeighbours implements SessionNeighbours {
  private final JdbcDatabase db;

  public JdbcSessionNeighbours(JdbcDatabase db) {
    this.db = db;
  }

  @Override
  public Map<String, String> neighbours(String tenantId, Collection<String> ids, boolean after) {
    String order = db.dialect().insertionOrder();
    return db.read(
        c -> {
          Map<String, String> out = new LinkedHashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT n.id FROM memories m JOIN memories n ON n.tenant_id=m.tenant_id AND"
                      + " n.session_id=m.session_id AND n."
                      + order
                      + (after ? ">" : "<")
                      + "m."
                      + order
                      + " WHERE m.id=? AND m.tenant_id=? AND m.session_id IS NOT NULL"
                      + " ORDER BY n."
                      + order
                      + (after ? "" : " DESC")
                      + " LIMIT 1")) {
            for (String id : ids) {
              ps.setString(1, id);
              ps.setString(2, tenantId);
              try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                  out.put(id, rs.getString(1));
                }
              }
            }
          }
          return out;
        });
  }

  @Override
  public Optional<String> lastContent(String tenantId, String sessionId) {
    if (sessionId == null) {
      return Optional.empty();
    }
    String order = db.dialect().insertionOrder();
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT content FROM memories WHERE tenant_id=? AND session_id=? ORDER BY "
                      + order
                      + " DESC LIMIT 1")) {
            ps.setString(1, tenantId);
            ps.setString(2, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
            }
          }
        });
  }
}
