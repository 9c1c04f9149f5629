package dev.omem.store.jdbc;

import dev.omem.store.SessionNeighbours;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

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
}
