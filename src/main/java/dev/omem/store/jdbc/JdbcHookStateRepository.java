package dev.omem.store.jdbc;

import dev.omem.store.HookStateRepository;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The hooks' per-session state (tables {@code hook_offsets} and {@code hook_injections}): how far
 * each transcript was captured and which memories a session was already shown. Kept in the database
 * so that it survives a daemon restart; rows of sessions quiet for long are pruned.
 */
public final class JdbcHookStateRepository implements HookStateRepository {
  private final JdbcDatabase db;

  public JdbcHookStateRepository(JdbcDatabase db) {
    this.db = db;
  }

  /** The byte offset up to which this session's transcript was captured, if it ever was. */
  public OptionalLong offset(String tenantId, String sessionId, String transcriptPath) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT byte_offset FROM hook_offsets"
                      + " WHERE tenant_id = ? AND session_id = ? AND transcript_path = ?")) {
            ps.setString(1, tenantId);
            ps.setString(2, sessionId);
            ps.setString(3, transcriptPath);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
          }
        });
  }

  public void saveOffset(
      String tenantId, String sessionId, String transcriptPath, long offset, Instant at) {
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO hook_offsets"
                      + " (tenant_id, session_id, transcript_path, byte_offset, updated_at)"
                      + " VALUES (?, ?, ?, ?, ?)"
                      + " ON CONFLICT (tenant_id, session_id, transcript_path)"
                      + " DO UPDATE SET byte_offset = excluded.byte_offset,"
                      + " updated_at = excluded.updated_at")) {
            ps.setString(1, tenantId);
            ps.setString(2, sessionId);
            ps.setString(3, transcriptPath);
            ps.setLong(4, offset);
            ps.setLong(5, at.toEpochMilli());
            ps.executeUpdate();
          }
          return null;
        });
  }

  /** The keys of the memories this session was already shown. */
  public Set<String> injected(String tenantId, String sessionId) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT memory_key FROM hook_injections WHERE tenant_id = ? AND session_id = ?")) {
            ps.setString(1, tenantId);
            ps.setString(2, sessionId);
            Set<String> out = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getString(1));
              }
            }
            return out;
          }
        });
  }

  /** Records that this session was shown these memories (keys already there stay as they are). */
  public void addInjected(String tenantId, String sessionId, Collection<String> keys, Instant at) {
    if (keys.isEmpty()) {
      return;
    }
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO hook_injections"
                      + " (tenant_id, session_id, memory_key, injected_at) VALUES (?, ?, ?, ?)"
                      + " ON CONFLICT DO NOTHING")) {
            for (String k : keys) {
              ps.setString(1, tenantId);
              ps.setString(2, sessionId);
              ps.setString(3, k);
              ps.setLong(4, at.toEpochMilli());
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
  }

  @Override
  public List<Injected> recentInjected(String tenantId, String prefix, int limit) {
    return db.read(
        c -> {
          // hook_injections_at orders the scan; the prefix test is on the rows it reads.
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT session_id, memory_key, injected_at FROM hook_injections"
                      + " WHERE tenant_id = ? AND substr(memory_key, 1, ?) = ?"
                      + " ORDER BY injected_at DESC LIMIT ?")) {
            ps.setString(1, tenantId);
            ps.setInt(2, prefix.length());
            ps.setString(3, prefix);
            ps.setInt(4, limit);
            List<Injected> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new Injected(
                        rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))));
              }
            }
            return out;
          }
        });
  }

  /** Forgets the state of sessions not touched since {@code before}; returns the rows removed. */
  public int pruneBefore(Instant before) {
    return db.write(
        c -> {
          int n = 0;
          for (String sql :
              new String[] {
                "DELETE FROM hook_offsets WHERE updated_at < ?",
                "DELETE FROM hook_injections WHERE injected_at < ?"
              }) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
              ps.setLong(1, before.toEpochMilli());
              n += ps.executeUpdate();
            }
          }
          return n;
        });
  }
}
