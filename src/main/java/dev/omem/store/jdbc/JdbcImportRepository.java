package dev.omem.store.jdbc;

import dev.omem.domain.HistoryEntry;
import dev.omem.store.ImportRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Imports: one row per import with its progress, and the memories each one created; plus the
 * look-ups an import needs to skip what the store already holds.
 */
public final class JdbcImportRepository implements ImportRepository {

  private static final String COLUMNS =
      "id, tenant_id, file_type, file_name, strategy, status, total_items, processed, imported,"
          + " skipped, errors, task_id, created_at, updated_at";

  private final JdbcDatabase db;

  public JdbcImportRepository(JdbcDatabase db) {
    this.db = db;
  }

  public void create(ImportRow r) {
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO imports (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, r.id());
            ps.setString(2, r.tenantId());
            ps.setString(3, r.fileType());
            ps.setString(4, r.fileName());
            ps.setString(5, r.strategy());
            ps.setString(6, r.status());
            ps.setInt(7, r.totalItems());
            ps.setInt(8, r.processed());
            ps.setInt(9, r.imported());
            ps.setInt(10, r.skipped());
            ps.setString(11, r.errorsJson());
            ps.setString(12, r.taskId());
            ps.setLong(13, r.createdAt().toEpochMilli());
            ps.setLong(14, r.updatedAt().toEpochMilli());
            ps.executeUpdate();
          }
          return null;
        });
  }

  /** The progress and outcome fields of {@code r}, written on the caller's connection. */
  static void update(Connection c, ImportRow r) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE imports SET status=?, total_items=?, processed=?, imported=?, skipped=?,"
                + " errors=?, task_id=?, updated_at=? WHERE id=?")) {
      ps.setString(1, r.status());
      ps.setInt(2, r.totalItems());
      ps.setInt(3, r.processed());
      ps.setInt(4, r.imported());
      ps.setInt(5, r.skipped());
      ps.setString(6, r.errorsJson());
      ps.setString(7, r.taskId());
      ps.setLong(8, r.updatedAt().toEpochMilli());
      ps.setString(9, r.id());
      ps.executeUpdate();
    }
  }

  @Override
  public void addItems(String importId, Collection<String> memoryIds) {
    db.write(
        c -> {
          addItems(c, importId, memoryIds);
          return null;
        });
  }

  @Override
  public void replaceHistory(String tenantId, String memoryId, List<HistoryEntry> steps) {
    db.write(
        c -> {
          replaceHistory(c, tenantId, memoryId, steps);
          return null;
        });
  }

  public void update(ImportRow r) {
    db.write(
        c -> {
          update(c, r);
          return null;
        });
  }

  /** Records that import {@code importId} created these memories (caller's transaction). */
  static void addItems(Connection c, String importId, Collection<String> memoryIds)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO import_items (import_id, memory_id) VALUES (?,?) ON CONFLICT DO NOTHING")) {
      for (String id : memoryIds) {
        ps.setString(1, importId);
        ps.setString(2, id);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Replaces the history of a restored memory with the file's steps (caller's transaction): a
   * forced omem import rewrites a memory as the file has it, past included.
   */
  static void replaceHistory(
      Connection c, String tenantId, String memoryId, List<HistoryEntry> steps)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM memory_history WHERE memory_id=? AND tenant_id=?")) {
      ps.setString(1, memoryId);
      ps.setString(2, tenantId);
      ps.executeUpdate();
    }
    List<dev.omem.store.MemoryWrite.HistoryRow> rows = new ArrayList<>();
    steps.forEach(e -> rows.add(new dev.omem.store.MemoryWrite.HistoryRow(memoryId, tenantId, e)));
    JdbcHistoryRepository.append(c, rows);
  }

  public Optional<ImportRow> find(String tenantId, String id) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT " + COLUMNS + " FROM imports WHERE id=? AND tenant_id=?")) {
            ps.setString(1, id);
            ps.setString(2, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
          }
        });
  }

  /** The tenant's imports, newest first. */
  public List<ImportRow> list(String tenantId, int limit) {
    return db.read(
        c -> {
          List<ImportRow> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM imports WHERE tenant_id=? ORDER BY created_at DESC, "
                      + db.dialect().insertionOrder()
                      + " DESC"
                      + " LIMIT ?")) {
            ps.setString(1, tenantId);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(map(rs));
              }
            }
          }
          return out;
        });
  }

  /** The memories import {@code importId} created. */
  public List<String> items(String importId) {
    return db.read(
        c -> {
          List<String> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT memory_id FROM import_items WHERE import_id=? ORDER BY "
                      + db.dialect().insertionOrder())) {
            ps.setString(1, importId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getString(1));
              }
            }
          }
          return out;
        });
  }

  /** Marks imports still running as failed: the process that ran them stopped (at start-up). */
  public int failRunning(Instant at) {
    return db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE imports SET status='failed', updated_at=? WHERE status='running'")) {
            ps.setLong(1, at.toEpochMilli());
            return ps.executeUpdate();
          }
        });
  }

  /** Which of these content hashes the tenant already holds in a memory not deleted. */
  public Set<String> existingHashes(String tenantId, Collection<String> hashes) {
    return strings(
        "SELECT content_hash FROM memories WHERE tenant_id=? AND state<>'deleted' AND"
            + " content_hash IN ",
        tenantId,
        hashes);
  }

  /** Which of these ids exist, in any tenant (ids are the table's key). */
  public Set<String> existingIds(Collection<String> ids) {
    return strings("SELECT id FROM memories WHERE id IN ", null, ids);
  }

  /** The OMP ids kept in the provenance of the tenant's memories that are not deleted. */
  public Set<String> ompIds(String tenantId) {
    return db.read(
        c -> {
          Set<String> out = new HashSet<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + db.dialect().jsonField("provenance", "omp_id")
                      + " FROM memories WHERE tenant_id=? AND state<>'deleted' AND "
                      + db.dialect().jsonField("provenance", "omp_id")
                      + " IS NOT NULL")) {
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getString(1));
              }
            }
          }
          return out;
        });
  }

  private Set<String> strings(String sqlPrefix, String tenantId, Collection<String> values) {
    Set<String> out = new HashSet<>();
    List<String> all = new ArrayList<>(values);
    for (int from = 0; from < all.size(); from += 500) {
      List<String> part = all.subList(from, Math.min(all.size(), from + 500));
      db.read(
          c -> {
            String marks = String.join(",", java.util.Collections.nCopies(part.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement(sqlPrefix + "(" + marks + ")")) {
              int i = 0;
              if (tenantId != null) {
                ps.setString(++i, tenantId);
              }
              for (String v : part) {
                ps.setString(++i, v);
              }
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  out.add(rs.getString(1));
                }
              }
            }
            return null;
          });
    }
    return out;
  }

  private static ImportRow map(ResultSet rs) throws SQLException {
    return new ImportRow(
        rs.getString("id"),
        rs.getString("tenant_id"),
        rs.getString("file_type"),
        rs.getString("file_name"),
        rs.getString("strategy"),
        rs.getString("status"),
        rs.getInt("total_items"),
        rs.getInt("processed"),
        rs.getInt("imported"),
        rs.getInt("skipped"),
        rs.getString("errors"),
        rs.getString("task_id"),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        Instant.ofEpochMilli(rs.getLong("updated_at")));
  }
}
