package dev.omem.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Removes soft-deleted memories for good once their retention has passed: the row (content,
 * vector), its history and its import links. Each removal appends to the change log in the same
 * transaction, so every index deletes the document as it catches up (a row that is gone reads as a
 * delete).
 */
public final class MemoryPurge {
  /** Memories purged per transaction: keeps the writer free for stores between batches. */
  private static final int BATCH = 500;

  private final Database db;

  public MemoryPurge(Database db) {
    this.db = db;
  }

  /**
   * Purges every memory deleted before {@code deletedBefore} (a deleted memory's {@code updated_at}
   * is when it was deleted: nothing edits it afterwards without restoring it); returns how many.
   */
  public long purgeDeletedBefore(Instant deletedBefore) {
    long total = 0;
    while (true) {
      int n = db.write(c -> purgeBatch(c, deletedBefore.toEpochMilli()));
      total += n;
      if (n < BATCH) {
        return total;
      }
    }
  }

  private static int purgeBatch(java.sql.Connection c, long before) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id FROM memories WHERE state='deleted' AND updated_at<? LIMIT " + BATCH)) {
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
    String in = "(" + String.join(",", Collections.nCopies(ids.size(), "?")) + ")";
    for (String table :
        List.of(
            "memories WHERE id",
            "memory_history WHERE memory_id",
            "import_items WHERE memory_id")) {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " IN " + in)) {
        for (int i = 0; i < ids.size(); i++) {
          ps.setString(i + 1, ids.get(i));
        }
        ps.executeUpdate();
      }
    }
    for (String id : ids) {
      SqliteChangeLog.append(c, id);
    }
    return ids.size();
  }
}
