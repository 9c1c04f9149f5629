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
  private final String changesAfterQuery;
  private final String node;

  /**
   * @param lastSeqQuery a query of one number: the newest committed seq, 0 when there is none
   * @param changesAfterQuery seq, memory id, time and writing node of the entries after a seq
   *     (parameters: the seq, the limit), oldest first
   * @param node this process's name in the log; an entry with another name is another node's (one
   *     without a name, written before names were kept or copied by {@code omem migrate}, is not)
   */
  public JdbcChangeLog(
      JdbcDatabase db, String lastSeqQuery, String changesAfterQuery, String node) {
    this.db = db;
    this.lastSeqQuery = lastSeqQuery;
    this.changesAfterQuery = changesAfterQuery;
    this.node = node;
  }

  @Override
  public List<Change> changesAfter(long seq, int limit) {
    return db.read(
        c -> {
          List<Change> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(changesAfterQuery)) {
            ps.setLong(1, seq);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                String writer = rs.getString(4);
                boolean foreign = node != null && writer != null && !writer.equals(node);
                out.add(new Change(rs.getLong(1), rs.getString(2), rs.getLong(3), foreign));
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
