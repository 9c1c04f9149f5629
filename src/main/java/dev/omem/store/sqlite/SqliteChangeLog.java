package dev.omem.store.sqlite;

import dev.omem.store.Change;
import dev.omem.store.ChangeLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The {@code changes} table; {@link #append} runs inside every write of a memory row. */
public final class SqliteChangeLog implements ChangeLog {
  private final Database db;

  public SqliteChangeLog(Database db) {
    this.db = db;
  }

  /** Appends memory {@code memoryId} to the log, in the caller's transaction; returns its seq. */
  static long append(Connection c, String memoryId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO changes(memory_id, at) VALUES (?,?)", Statement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, memoryId);
      ps.setLong(2, System.currentTimeMillis());
      ps.executeUpdate();
      try (ResultSet rs = ps.getGeneratedKeys()) {
        rs.next();
        return rs.getLong(1);
      }
    }
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
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT COALESCE(MAX(seq),0) FROM changes");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
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
