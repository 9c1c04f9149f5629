package dev.omem.store.jdbc;

import dev.omem.domain.HistoryEntry;
import dev.omem.store.HistoryRepository;
import dev.omem.store.MemoryWrite;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Memories' history steps: appended inside other writes, read for one memory. */
public final class JdbcHistoryRepository implements HistoryRepository {
  private final JdbcDatabase db;

  public JdbcHistoryRepository(JdbcDatabase db) {
    this.db = db;
  }

  /** The history of one memory of {@code tenantId}, oldest step first. */
  public List<HistoryEntry> of(String tenantId, String memoryId) {
    return db.read(
        c -> {
          List<HistoryEntry> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT action, at, session_id, agent_id, source, related_id, note FROM"
                      + " memory_history WHERE memory_id=? AND tenant_id=? ORDER BY seq")) {
            ps.setString(1, memoryId);
            ps.setString(2, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new HistoryEntry(
                        HistoryEntry.Action.fromWire(rs.getString(1)),
                        Instant.ofEpochMilli(rs.getLong(2)),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7)));
              }
            }
          }
          return out;
        });
  }

  /** Appends steps on the writer's connection, inside the caller's transaction. */
  public static void append(Connection c, List<MemoryWrite.HistoryRow> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO memory_history (memory_id, tenant_id, action, at, session_id, agent_id,"
                + " source, related_id, note) VALUES (?,?,?,?,?,?,?,?,?)")) {
      for (MemoryWrite.HistoryRow r : rows) {
        HistoryEntry e = r.entry();
        ps.setString(1, r.memoryId());
        ps.setString(2, r.tenantId());
        ps.setString(3, e.action().wire());
        ps.setLong(4, e.at().toEpochMilli());
        ps.setString(5, e.sessionId());
        ps.setString(6, e.agentId());
        ps.setString(7, e.source());
        ps.setString(8, e.relatedId());
        ps.setString(9, e.note());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
