package dev.omem.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.domain.MemoryFilter;
import dev.omem.store.jdbc.JdbcMemoryRepository;
import dev.omem.store.jdbc.MemoryRows;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hot queries' plans on a real, migrated SQLite store with a realistic skew (one tenant holds
 * thousands of active memories, another a few dozen; some archived and deleted), once the planner
 * has statistics ({@link PlannerStatistics}: at open and after the upkeep pass). Without them the
 * planner read the duplicate look-up through the (tenant, state, created) index: every active
 * memory of the tenant (issue 19, session 11).
 */
class HotQueryPlanTest {
  @TempDir Path dir;

  private static final int BIG = 6_000;

  @Test
  void withStatisticsTheHotQueriesUseTheirIndexes() {
    Database db = Database.open(dir);
    try {
      fill(db);
      String before = plan(db, plainDuplicate(), "big", "hash-17", "global");
      db.refreshStatistics();
      assertTrue(statistics(db) > 0, "the upkeep's refresh analysed the grown tables");
      assertHotPlans(db);
      // What statistics change: the same look-up without the state||'' guard.
      System.out.println("plain duplicate look-up, no statistics: " + before.strip());
    } finally {
      db.close();
    }
    Database reopened = Database.open(dir);
    try {
      assertTrue(statistics(reopened) > 0, "the statistics are kept in the file");
      assertHotPlans(reopened);
    } finally {
      reopened.close();
    }
  }

  @Test
  void openingAStoreThatGrewAnalysesIt() {
    Database db = Database.open(dir);
    try {
      fill(db);
      assertTrue(statistics(db) == 0, "nothing analysed the tables yet");
    } finally {
      db.close();
    }
    Database reopened = Database.open(dir);
    try {
      assertTrue(statistics(reopened) > 0, "the open analysed the grown tables");
      assertHotPlans(reopened);
    } finally {
      reopened.close();
    }
  }

  private static void assertHotPlans(Database db) {
    String dup =
        plan(
            db,
            "SELECT * FROM memories WHERE " + JdbcMemoryRepository.ACTIVE_DUPLICATE,
            "big",
            "hash-17",
            "global");
    assertTrue(dup.contains("USING INDEX memories_hash (tenant_id=? AND content_hash=?)"), dup);
    String plain = plan(db, plainDuplicate(), "big", "hash-17", "global");
    assertTrue(plain.contains("USING INDEX memories_hash (tenant_id=? AND content_hash=?)"), plain);

    List<Object> args = new ArrayList<>();
    String where = MemoryRows.where(MemoryFilter.activeOf("big"), args, db.dialect().tagFilter());
    args.add(50);
    args.add(0);
    String list =
        plan(
            db,
            "SELECT rowid FROM memories WHERE "
                + where
                + " ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
            args.toArray());
    assertTrue(
        list.contains(
            "USING COVERING INDEX memories_tenant_state_created_id (tenant_id=? AND state=?)"),
        list);
    // The index gives the order; only the id tie-break of a descending page is sorted, within
    // rows of one created_at ("FOR LAST TERM"), never the tenant's rows as a whole.
    assertFalse(list.contains("USE TEMP B-TREE FOR ORDER BY"), list);

    String byIds =
        plan(db, "SELECT * FROM memories WHERE id IN (" + MemoryRows.marks(3) + ")", "a", "b", "c");
    assertTrue(byIds.contains("USING INDEX sqlite_autoindex_memories_1 (id=?)"), byIds);

    String changes = plan(db, SqliteChangeLog.CHANGES_AFTER, 100L, 500);
    assertTrue(changes.contains("SEARCH changes USING INTEGER PRIMARY KEY (rowid>?)"), changes);
  }

  /** The duplicate look-up as it would read without the guard that steers the planner. */
  private static String plainDuplicate() {
    return "SELECT * FROM memories WHERE "
        + JdbcMemoryRepository.ACTIVE_DUPLICATE.replace("state||''", "state");
  }

  /**
   * {@link #BIG} active memories of tenant {@code big} (a few hundred archived and deleted among
   * them), 40 of tenant {@code small}, and a change-log entry each.
   */
  private static void fill(Database db) {
    db.write(
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "INSERT INTO memories (id, tenant_id, space_id, content, content_hash,"
                          + " category, memory_type, state, tier, importance, confidence, scope,"
                          + " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
              PreparedStatement ch =
                  c.prepareStatement("INSERT INTO changes (memory_id, at) VALUES (?, ?)")) {
            for (int i = 0; i < BIG + 40; i++) {
              String tenant = i < BIG ? "big" : "small";
              String state = i % 20 == 0 ? "archived" : i % 33 == 0 ? "deleted" : "active";
              ps.setString(1, "m" + i);
              ps.setString(2, tenant);
              ps.setString(3, "personal/" + tenant);
              ps.setString(4, "memory " + i);
              ps.setString(5, "hash-" + i);
              ps.setString(6, "entities");
              ps.setString(7, "insight");
              ps.setString(8, state);
              ps.setString(9, "working");
              ps.setDouble(10, 0.5);
              ps.setDouble(11, 0.8);
              ps.setString(12, i % 3 == 0 ? "project:alpha" : "global");
              ps.setLong(13, 1_700_000_000_000L + i);
              ps.setLong(14, 1_700_000_000_000L + i);
              ps.addBatch();
              ch.setString(1, "m" + i);
              ch.setLong(2, 1_700_000_000_000L + i);
              ch.addBatch();
            }
            ps.executeBatch();
            ch.executeBatch();
          }
          return null;
        });
  }

  private static long statistics(Database db) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT COUNT(*) FROM sqlite_master WHERE name='sqlite_stat1'");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (rs.getLong(1) == 0) {
              return 0L;
            }
          }
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl='memories'");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  private static String plan(Database db, String sql, Object... args) {
    return db.read(
        c -> {
          StringBuilder out = new StringBuilder();
          try (PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            for (int i = 0; i < args.length; i++) {
              ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.append(rs.getString("detail")).append('\n');
              }
            }
          }
          return out.toString();
        });
  }
}
