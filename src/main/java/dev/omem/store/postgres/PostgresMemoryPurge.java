package dev.omem.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes soft-deleted memories for good once their retention has passed: the row, its history and
 * its import links, with a change-log entry each (a row that is gone reads as a delete to every
 * node's index). Safe to run on several nodes at once: rows are taken with {@code SKIP LOCKED}
 * under the change log's lock, so no memory is purged twice; a cluster runs it on one node anyway
 * (pgcluster's lock).
 */
final class PostgresMemoryPurge {
  /** Memories purged per transaction, as in SQLite's purge: keeps other writers waiting briefly. */
  private static final int BATCH = 500;

  private final PostgresDatabase db;

  PostgresMemoryPurge(PostgresDatabase db) {
    this.db = db;
  }

  long purgeDeletedBefore(Instant deletedBefore) {
    long total = 0;
    while (true) {
      int n = db.write(c -> purgeBatch(c, deletedBefore.toEpochMilli()));
      total += n;
      if (n < BATCH) {
        return total;
      }
    }
  }

  private static int purgeBatch(Connection c, long before) throws SQLException {
    PostgresChangeLog.lock(c);
    List<String> ids = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM memories WHERE id IN (SELECT id FROM memories WHERE state='deleted'"
                + " AND updated_at<? LIMIT "
                + BATCH
                + " FOR UPDATE SKIP LOCKED) RETURNING id")) {
      ps.setLong(1, before);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    if (ids.isEmpty()) {
      return 0;
    }
    String[] array = ids.toArray(String[]::new);
    for (String table : List.of("memory_history", "import_items")) {
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM " + table + " WHERE memory_id = ANY(?)")) {
        ps.setArray(1, c.createArrayOf("text", array));
        ps.executeUpdate();
      }
    }
    for (String id : ids) {
      // No node name: a purge's deletions are not measured as replication lag.
      PostgresChangeLog.append(c, id, null);
    }
    return ids.size();
  }
}
