package dev.omem.store.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The query planner's statistics of {@code omem.db} ({@code sqlite_stat1}). SQLite keeps none by
 * itself, and without them it guesses: it read the duplicate look-up through the (tenant, state,
 * created) index, every active memory of the tenant, instead of the content hash (17 ms of CPU a
 * store at 10k, issue 19). {@code PRAGMA optimize} analyses only the tables whose size changed much
 * since their last analysis (or that have none), as SQLite's documentation asks of a long-lived
 * connection: once at open and then now and then (the upkeep pass). PostgreSQL's autovacuum keeps
 * its own statistics.
 */
final class PlannerStatistics {
  /**
   * Rows ANALYZE reads per index: SQLite's documentation recommends 100 to 1000 for {@code PRAGMA
   * optimize} (lang_analyze.html, "Approximate ANALYZE"); 400 bounds a pass at 10k memories to a
   * few ms and still tells a near-unique index from one that holds every active row.
   */
  static final int ANALYSIS_LIMIT = 400;

  /**
   * {@code 0x10002}: every table is considered, not only those this connection has queried (it has
   * queried none at open), and analysed when it needs it (lang_pragma.html#pragma_optimize).
   */
  private static final String OPTIMIZE = "PRAGMA optimize=0x10002";

  private PlannerStatistics() {}

  /** Refreshes the statistics that need it; the connections see them at their next statement. */
  static void refresh(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA analysis_limit=" + ANALYSIS_LIMIT);
      s.execute(OPTIMIZE);
    }
  }
}
