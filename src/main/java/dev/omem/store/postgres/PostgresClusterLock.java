package dev.omem.store.postgres;

import dev.omem.store.ClusterLock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * {@link ClusterLock} as a PostgreSQL session advisory lock ({@code pg_try_advisory_lock}) held on
 * one pooled connection for the work's length: a node that dies mid-work loses its session, and so
 * the lock, at once. The two-key form keeps these apart from the one-key lock the schema migrations
 * take.
 */
public final class PostgresClusterLock implements ClusterLock {
  /** The first key of every omem lock: "omem" in ASCII. */
  private static final int OMEM = 0x6f6d656d;

  private final PostgresDatabase db;

  public PostgresClusterLock(PostgresDatabase db) {
    this.db = db;
  }

  @Override
  public boolean runExclusively(String name, Runnable work) {
    return db.outside(
        c -> {
          if (!call(c, "SELECT pg_try_advisory_lock(?, ?)", name)) {
            return false;
          }
          try {
            work.run();
            return true;
          } finally {
            call(c, "SELECT pg_advisory_unlock(?, ?)", name);
          }
        });
  }

  private static boolean call(Connection c, String sql, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setInt(1, OMEM);
      ps.setInt(2, name.hashCode());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }
}
