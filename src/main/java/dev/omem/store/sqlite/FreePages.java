package dev.omem.store.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Gives the pages that deleted rows left free back to the file system. A store created by this
 * version is in {@code auto_vacuum=INCREMENTAL} mode from its first page; an older store needs one
 * full {@code VACUUM} to switch, which the first upkeep pass runs (not a migration: VACUUM cannot
 * run inside a migration's transaction, and it would delay every start until it finished). The
 * hourly trickle of purges is reclaimed incrementally (no long write pause); a purge that freed a
 * quarter of the file gets a full VACUUM, which also repacks the half-empty pages left behind.
 */
public final class FreePages {
  /** SQLite's {@code PRAGMA auto_vacuum} value for INCREMENTAL. */
  private static final int INCREMENTAL = 2;

  /**
   * A full VACUUM when more than 1/4 of the file is free: 10k stores with 9k purged came out at
   * 1.63× a fresh store's size with incremental vacuum alone (scripts/bench-upkeep 10k).
   */
  private static final long MOSTLY_FREE = 4;

  private FreePages() {}

  /** What a reclaim did: the file's bytes before and after, and whether it converted the store. */
  public record Reclaimed(long bytesBefore, long bytesAfter, boolean converted) {}

  /** True for a store without any table yet (the only moment auto_vacuum can change freely). */
  static boolean isEmpty(Connection c) throws SQLException {
    return longOf(c, "SELECT count(*) FROM sqlite_master") == 0;
  }

  /**
   * Reclaims every free page, then truncates the WAL so that the file sizes show it. Runs on the
   * writer outside a transaction; readers keep reading meanwhile (WAL).
   */
  public static Reclaimed reclaim(Database db) {
    return db.exclusive(
        c -> {
          long before = bytes(c);
          boolean convert = longOf(c, "PRAGMA auto_vacuum") != INCREMENTAL;
          try (Statement s = c.createStatement()) {
            if (convert) {
              s.execute("PRAGMA auto_vacuum=INCREMENTAL");
              s.execute("VACUUM");
            } else if (longOf(c, "PRAGMA freelist_count") * MOSTLY_FREE
                > longOf(c, "PRAGMA page_count")) {
              // After a mass purge the pages left are half empty too, which incremental vacuum
              // does not repack: only a full VACUUM brings the file near a fresh store's size.
              s.execute("VACUUM");
            } else if (longOf(c, "PRAGMA freelist_count") > 0) {
              // Each step of the statement frees one page: execute() would step once (one page);
              // executeUpdate() steps it to the end.
              s.executeUpdate("PRAGMA incremental_vacuum");
            }
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
          }
          return new Reclaimed(before, bytes(c), convert);
        });
  }

  /** The database's size in bytes as SQLite counts it (pages × page size). */
  public static long bytes(Connection c) throws SQLException {
    return longOf(c, "PRAGMA page_count") * longOf(c, "PRAGMA page_size");
  }

  private static long longOf(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }
}
