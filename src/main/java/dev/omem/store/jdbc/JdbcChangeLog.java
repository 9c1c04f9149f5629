package dev.omem.store.jdbc;

import dev.omem.store.Change;
import dev.omem.store.ChangeLog;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code changes} table read and pruned. Appends run inside every write of a memory row,
 * through the backend's {@link ChangeAppend}, which also decides how numbers are handed out.
 */
public final class JdbcChangeLog implements ChangeLog {
  private final JdbcDatabase db;
  private final String lastSeqQuery;

  /**
   * @param lastSeqQuery a query of one number: the newest committed seq, 0 when there is none
   */
  public JdbcChangeLog(JdbcDatabase db, String lastSeqQuery) {
    this.db = db;
    this.lastSeqQuery = lastSeqQuery;
  }

  @Override
  public List<Change> changesAfter(long seq, int limit) {
    return db.read(
        c -> {
          List<Change> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT seq, memory_id FROM changes WHERE seq > ? ORDER BY seq LIMIT ?")) {
            ps.setLong(1, seq);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(new Change(rs.getLong(1), rs.getString(2)));
              }
            }
          }
          return out;
        });
  }

  @Override
  public long lastSeq() {
    return db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(lastSeqQuery);
              ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
          }
        });
  }

  @Override
  public void pruneChangesThrough(long seq) {
    db.write(
        c -> {
          try (PreparedStatement ps = c.prepareStatement("DELETE FROM changes WHERE seq <= ?")) {
            ps.setLong(1, seq);
            ps.executeUpdate();
          }
          return null;
        });
  }
}
