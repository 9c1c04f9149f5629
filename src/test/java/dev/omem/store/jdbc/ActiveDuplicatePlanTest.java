package dev.omem.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.store.sqlite.Database;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every store's duplicate look-up on a real, migrated SQLite store goes through the (tenant,
 * content hash) index, not through the (tenant, state, created) index that reads every active
 * memory of the tenant (17 ms of CPU a store at 10k memories, issue 19, session 11).
 */
class ActiveDuplicatePlanTest {
  @TempDir Path dir;

  @Test
  void theDuplicateLookUpSeeksTheContentHash() {
    Database db = Database.open(dir);
    try {
      String plan =
          db.read(
              c -> {
                StringBuilder out = new StringBuilder();
                try (PreparedStatement ps =
                    c.prepareStatement(
                        "EXPLAIN QUERY PLAN SELECT * FROM memories WHERE "
                            + JdbcMemoryRepository.ACTIVE_DUPLICATE)) {
                  ps.setString(1, "t1");
                  ps.setString(2, "hash");
                  ps.setString(3, "global");
                  try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                      out.append(rs.getString("detail")).append('\n');
                    }
                  }
                }
                return out.toString();
              });
      assertTrue(plan.contains("USING INDEX memories_hash (tenant_id=? AND content_hash=?)"), plan);
    } finally {
      db.close();
    }
  }
}
