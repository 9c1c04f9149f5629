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
      // For each memory, the first (or last) of its session on its side of it (none without a
      // session: NULL matches nothing). Found by id alone, the tenant checked here: with the tenant
      // or the session in the WHERE, SQLite walked the (tenant_id, session_id) index over every
      // memory of a session instead of looking the ids up by the primary key.
      String sql =
          "SELECT m.id, m.tenant_id, (SELECT n.id FROM memories n WHERE n.tenant_id=m.tenant_id AND"
              + " n.session_id=m.session_id AND n."
              + order
              + (after ? ">" : "<")
              + "m."
              + order
              + " ORDER BY n."
              + order
              + (after ? "" : " DESC")
              + " LIMIT 1) FROM memories m WHERE m.id IN ("
              + MemoryRows.marks(part.size())
              + ")";
      db.read(
          c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
              for (int i = 0; i < part.size(); i++) {
                ps.setString(i + 1, part.get(i));
              }
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  String next = rs.getString(3);
                  if (next != null && tenantId.equals(rs.getString(2))) {
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
