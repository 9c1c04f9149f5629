package dev.omem.store.jdbc;

import dev.omem.store.MemoryStatistics;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Counts and aggregates over {@code memories}; fields and aggregates map to fixed SQL here. */
public final class JdbcMemoryStatistics implements MemoryStatistics {
  private final JdbcDatabase db;

  public JdbcMemoryStatistics(JdbcDatabase db) {
    this.db = db;
  }

  @Override
  public long countAll() {
    return db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM memories");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  @Override
  public Map<String, Long> countBy(String tenantId, Field field, boolean includeDeleted) {
    String column = field.name().toLowerCase(Locale.ROOT); // the enum names the columns
    return db.read(
        c -> {
          Map<String, Long> out = new LinkedHashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT COALESCE("
                      + column
                      + ",'unknown'), COUNT(*) FROM memories WHERE tenant_id=?"
                      + (includeDeleted ? "" : " AND state<>'deleted'")
                      + " GROUP BY 1 ORDER BY 2 DESC")) {
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
              }
            }
          }
          return out;
        });
  }

  @Override
  public double aggregate(String tenantId, Aggregate aggregate) {
    String expression =
        switch (aggregate) {
          case AVG_IMPORTANCE -> "AVG(importance)";
          case AVG_CONFIDENCE -> "AVG(confidence)";
          case SUM_ACCESS_COUNT -> "SUM(access_count)";
        };
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT COALESCE("
                      + expression
                      + ",0) FROM memories WHERE tenant_id=? AND state<>'deleted'")) {
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getDouble(1);
            }
          }
        });
  }

  @Override
  public Map<String, Long> createdPerDay(String tenantId, Instant since) {
    return db.read(
        c -> {
          Map<String, Long> out = new LinkedHashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + db.dialect().utcDay("created_at")
                      + " AS d, COUNT(*) FROM memories WHERE"
                      + " tenant_id=? AND state<>'deleted' AND created_at>=? GROUP BY d ORDER BY"
                      + " d")) {
            ps.setString(1, tenantId);
            ps.setLong(2, since.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
              }
            }
          }
          return out;
        });
  }
}
