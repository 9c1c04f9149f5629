package dev.omem.store.jdbc;

import dev.omem.store.SessionNeighbours;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Session neighbours by insertion order ({@link SqlDialect#insertionOrder}), in one statement per
 * 500 ids: a search's context expansion asks for its 20 best at once, and one statement per id was
 * 1.2 ms of a search's 17 ms of CPU at 10k memories (issue 19, session 16's phase probe).
 */
public final class JdbcSessionNeighbours implements SessionNeighbours {
  /** Ids per statement: far below SQLite's and PostgreSQL's limits on host parameters (32766). */
  private static final int CHUNK = 500;

  private final JdbcDatabase db;

  public JdbcSessionNeighbours(JdbcDatabase db) {
    this.db = db;
  }

  @Override
  public Map<String, String> neighbours(String tenantId, Collection<String> ids, boolean after) {
    String order = db.dialect().insertionOrder();
    List<String> all = new ArrayList<>(ids);
    Map<String, String> found = new HashMap<>();
    for (int from = 0; from < all.size(); from += CHUNK) {
      List<String> part = all.subList(from, Math.min(all.size(), from + CHUNK));
      // For each memory of a session, the first (or last) of the same session on its side of it.
      String sql =
          "SELECT m.id, (SELECT n.id FROM memories n WHERE n.tenant_id=m.tenant_id AND"
              + " n.session_id=m.session_id AND n."
              + order
              + (after ? ">" : "<")
              + "m."
              + order
              + " ORDER BY n."
              + order
              + (after ? "" : " DESC")
              + " LIMIT 1) FROM memories m WHERE m.tenant_id=? AND m.session_id IS NOT NULL"
              + " AND m.id IN ("
              + MemoryRows.marks(part.size())
              + ")";
      db.read(
          c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
              ps.setString(1, tenantId);
              for (int i = 0; i < part.size(); i++) {
                ps.setString(i + 2, part.get(i));
              }
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  String next = rs.getString(2);
                  if (next != null) {
                    found.put(rs.getString(1), next);
                  }
                }
              }
            }
            return null;
          });
    }
    // In the order the ids were given, as one statement per id answered.
    Map<String, String> out = new LinkedHashMap<>();
    for (String id : all) {
      String next = found.get(id);
      if (next != null) {
        out.put(id, next);
      }
    }
    return out;
  }
}
