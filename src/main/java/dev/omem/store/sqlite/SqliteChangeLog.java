package dev.omem.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * How SQLite appends to the {@code changes} table (read through {@code JdbcChangeLog}): its one
 * writer serialises appends, so the rowid is the seq.
 */
final class SqliteChangeLog {
  /** The newest seq. */
  static final String LAST_SEQ = "SELECT COALESCE(MAX(seq),0) FROM changes";

  /** The entries after a seq; one process writes them, so none is another node's. */
  static final String CHANGES_AFTER =
      "SELECT seq, memory_id, at, NULL FROM changes WHERE seq > ? ORDER BY seq LIMIT ?";

  private SqliteChangeLog() {}

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
}
