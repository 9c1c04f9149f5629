package dev.omem.store.jdbc;

import dev.omem.domain.Category;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.Tier;
import dev.omem.domain.Trust;
import dev.omem.store.ContentHash;
import dev.omem.store.StoredMemory;
import dev.omem.store.Vectors;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

/**
 * The {@code memories} table's columns, the same in every JDBC store (SQLite and PostgreSQL): a
 * {@link Memory} bound to a statement and read back. Only the tag filter differs by dialect.
 */
public final class MemoryRows {
  public static final String COLUMNS =
      "id, tenant_id, space_id, content, category, memory_type, state, tier, importance,"
          + " confidence, access_count, last_accessed_at, tags, scope, agent_id, session_id,"
          + " source, relations, superseded_by, invalidated_at, provenance, version, created_at,"
          + " updated_at, expires_at, confirmed, flag";

  /** The columns after {@code id}, as an UPDATE's SET list, with the content hash. */
  public static final String SET_ALL =
      "tenant_id=?, space_id=?, content=?, category=?, memory_type=?, state=?, tier=?,"
          + " importance=?, confidence=?, access_count=?, last_accessed_at=?, tags=?,"
          + " scope=?, agent_id=?, session_id=?, source=?, relations=?, superseded_by=?,"
          + " invalidated_at=?, provenance=?, version=?, created_at=?, updated_at=?,"
          + " expires_at=?, confirmed=?, flag=?, content_hash=?";

  public static final String INSERT =
      "INSERT INTO memories ("
          + COLUMNS
          + ", content_hash, embedding, embedding_model, duplicate_allowed) VALUES"
          + " (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

  private MemoryRows() {}

  /** Binds a whole row for {@link #INSERT}; returns the last index bound. */
  public static int bindInsert(PreparedStatement ps, StoredMemory row) throws SQLException {
    ps.setString(1, row.memory().id());
    int i = bindAfterId(ps, row.memory(), 1);
    ps.setString(++i, ContentHash.of(row.memory().content()));
    bindVector(ps, ++i, ++i, row.vector(), row.model());
    ps.setInt(++i, row.duplicateAllowed() ? 1 : 0);
    return i;
  }

  /** Binds the fields after {@code id} starting after index {@code i}; returns the last index. */
  public static int bindAfterId(PreparedStatement ps, Memory m, int i) throws SQLException {
    ps.setString(++i, m.tenantId());
    ps.setString(++i, m.spaceId());
    ps.setString(++i, m.content());
    ps.setString(++i, m.category().wire());
    ps.setString(++i, m.memoryType().wire());
    ps.setString(++i, m.state().wire());
    ps.setString(++i, m.tier().wire());
    ps.setDouble(++i, m.importance());
    ps.setDouble(++i, m.confidence());
    ps.setLong(++i, m.accessCount());
    setInstant(ps, ++i, m.lastAccessedAt());
    ps.setString(++i, JsonColumns.write(m.tags()));
    ps.setString(++i, m.scope());
    ps.setString(++i, m.agentId());
    ps.setString(++i, m.sessionId());
    ps.setString(++i, m.source());
    ps.setString(++i, JsonColumns.write(m.relations()));
    ps.setString(++i, m.supersededBy());
    setInstant(ps, ++i, m.invalidatedAt());
    ps.setString(++i, JsonColumns.write(m.provenance()));
    ps.setLong(++i, m.version());
    setInstant(ps, ++i, m.createdAt());
    setInstant(ps, ++i, m.updatedAt());
    setInstant(ps, ++i, m.expiresAt());
    ps.setInt(++i, m.trust().confirmed() ? 1 : 0);
    ps.setString(++i, m.trust().flag());
    return i;
  }

  public static void bindVector(PreparedStatement ps, int vi, int mi, float[] v, String model)
      throws SQLException {
    if (v == null) {
      ps.setNull(vi, Types.BINARY); // bytea in PostgreSQL, BLOB in SQLite
      ps.setNull(mi, Types.VARCHAR);
    } else {
      ps.setBytes(vi, Vectors.toBlob(v));
      ps.setString(mi, model);
    }
  }

  public static void setInstant(PreparedStatement ps, int i, Instant t) throws SQLException {
    if (t == null) {
      ps.setNull(i, Types.INTEGER);
    } else {
      ps.setLong(i, t.toEpochMilli());
    }
  }

  private static Instant instant(ResultSet rs, String col) throws SQLException {
    long v = rs.getLong(col);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  public static Memory map(ResultSet rs) throws SQLException {
    return Memory.builder()
        .id(rs.getString("id"))
        .tenantId(rs.getString("tenant_id"))
        .spaceId(rs.getString("space_id"))
        .content(rs.getString("content"))
        .category(Category.parse(rs.getString("category")).orElse(Category.ENTITIES))
        .memoryType(MemoryType.fromWire(rs.getString("memory_type")))
        .state(MemoryState.fromWire(rs.getString("state")))
        .tier(Tier.fromWire(rs.getString("tier")))
        .importance(rs.getDouble("importance"))
        .confidence(rs.getDouble("confidence"))
        .accessCount(rs.getLong("access_count"))
        .lastAccessedAt(instant(rs, "last_accessed_at"))
        .tags(JsonColumns.strings(rs.getString("tags")))
        .scope(rs.getString("scope"))
        .agentId(rs.getString("agent_id"))
        .sessionId(rs.getString("session_id"))
        .source(rs.getString("source"))
        .relations(JsonColumns.relations(rs.getString("relations")))
        .supersededBy(rs.getString("superseded_by"))
        .invalidatedAt(instant(rs, "invalidated_at"))
        .provenance(JsonColumns.object(rs.getString("provenance")))
        .version(rs.getLong("version"))
        .createdAt(instant(rs, "created_at"))
        .updatedAt(instant(rs, "updated_at"))
        .expiresAt(instant(rs, "expires_at"))
        .trust(new Trust(rs.getInt("confirmed") != 0, rs.getString("flag")))
        .build();
  }

  public static StoredMemory mapStored(ResultSet rs) throws SQLException {
    return new StoredMemory(
        map(rs), Vectors.fromBlob(rs.getBytes("embedding")), rs.getString("embedding_model"));
  }

  public static String marks(int n) {
    return String.join(",", Collections.nCopies(n, "?"));
  }

  /**
   * The WHERE clause of {@code f}, its arguments appended to {@code args}; {@code tagClause} is the
   * dialect's test that the row has the tag bound to its one parameter.
   */
  public static String where(MemoryFilter f, List<Object> args, String tagClause) {
    StringBuilder w = new StringBuilder("tenant_id=?");
    args.add(f.tenantId());
    w.append(" AND state IN (").append(marks(f.states().size())).append(")");
    f.states().forEach(s -> args.add(s.wire()));
    if (!f.scopes().isEmpty()) {
      w.append(" AND scope IN (").append(marks(f.scopes().size())).append(")");
      args.addAll(f.scopes());
    }
    if (!f.categories().isEmpty()) {
      w.append(" AND category IN (").append(marks(f.categories().size())).append(")");
      f.categories().forEach(cat -> args.add(cat.wire()));
    }
    for (String tag : f.tags()) {
      w.append(" AND ").append(tagClause);
      args.add(tag);
    }
    if (f.memoryType() != null) {
      w.append(" AND memory_type=?");
      args.add(f.memoryType().wire());
    }
    if (f.source() != null) {
      w.append(" AND source=?");
      args.add(f.source());
    }
    if (f.agentId() != null) {
      w.append(" AND agent_id=?");
      args.add(f.agentId());
    }
    if (f.createdAfter() != null) {
      w.append(" AND created_at>=?");
      args.add(f.createdAfter().toEpochMilli());
    }
    if (f.createdBefore() != null) {
      w.append(" AND created_at<?");
      args.add(f.createdBefore().toEpochMilli());
    }
    if (f.tier() != null) {
      w.append(" AND tier=?");
      args.add(f.tier().wire());
    }
    return w.toString();
  }

  public static void bindAll(PreparedStatement ps, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      ps.setObject(i + 1, args.get(i));
    }
  }
}
