package dev.omem.store.postgres;

import dev.omem.store.ChangeLog;
import dev.omem.store.jdbc.ChangeAppend;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The {@code changes} table, whose sequence numbers are in commit order. A sequence (or BIGSERIAL)
 * would hand out numbers at insert time, so a transaction that took 7 could commit after one that
 * took 8, and a follower that had read "seq > 6" and seen 8 would never read 7. Here the number
 * comes from the one row of {@code change_counter}, updated inside the writing transaction: its row
 * lock is held until commit, so the next writer gets its number only after the previous one has
 * committed (or rolled back, giving the number back). A larger number is therefore never visible
 * before a smaller one, and numbers have no gaps. Every write that appends takes that lock first
 * ({@link #lock}), before any memory row, so two writers never wait on each other in a cycle.
 *
 * <p>Each append also sends {@link #CHANNEL} a notification with its seq, which PostgreSQL delivers
 * when (and only if) the transaction commits; a follower that cannot LISTEN polls {@link
 * ChangeLog#changesAfter} ({@code JdbcChangeLog}) instead.
 */
public final class PostgresChangeLog {
  /** The LISTEN/NOTIFY channel every committed change is announced on (payload: its seq). */
  public static final String CHANNEL = "omem_changes";

  /** The newest committed seq: the counter, which pruning the log does not lower. */
  static final String LAST_SEQ = "SELECT last FROM change_counter WHERE id = 1";

  private PostgresChangeLog() {}

  /**
   * The entries after a seq, with their time and the node that wrote them: {@code JdbcChangeLog}
   * marks another node's entries so that the index can measure how late they became searchable.
   */
  static final String CHANGES_AFTER =
      "SELECT seq, memory_id, at, node FROM changes WHERE seq > ? ORDER BY seq LIMIT ?";

  /** {@link #lock} and {@link #append} for the shared repositories of node {@code node}. */
  static ChangeAppend appender(String node) {
    return new ChangeAppend() {
      @Override
      public void lockFirst(Connection c) throws SQLException {
        PostgresChangeLog.lock(c);
      }

      @Override
      public long append(Connection c, String memoryId) throws SQLException {
        return PostgresChangeLog.append(c, memoryId, node);
      }
    };
  }

  /**
   * Takes the change log's lock in the caller's transaction: the first statement of every write
   * that will append, held until it commits.
   */
  static void lock(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SELECT last FROM change_counter WHERE id = 1 FOR UPDATE");
    }
  }

  /**
   * Appends memory {@code memoryId} to the log, in the caller's transaction; returns its seq. The
   * entry's time is the database's clock ({@code clock_timestamp()}, after the counter's lock was
   * taken, so close to the commit): every node measures its lag against that one clock, so nodes on
   * several machines need their clocks in step with the database's (NTP), not with each other's.
   */
  static long append(Connection c, String memoryId, String node) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "WITH s AS (UPDATE change_counter SET last = last + 1 WHERE id = 1 RETURNING last),"
                + " i AS (INSERT INTO changes (seq, memory_id, at, node) SELECT last, ?,"
                + " (extract(epoch FROM clock_timestamp()) * 1000)::bigint, ? FROM s"
                + " RETURNING seq)"
                + " SELECT seq, pg_notify('"
                + CHANNEL
                + "', seq::text) FROM i")) {
      ps.setString(1, memoryId);
      ps.setString(2, node);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
