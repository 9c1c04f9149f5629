package dev.omem.store;

import dev.omem.domain.Category;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryPage;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.Tier;
import dev.omem.domain.Trust;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Memory rows in SQLite. Every write also appends to the change log in the same transaction, so the
 * Lucene index can always catch up to exactly what was committed (DESIGN.md decision 1).
 */
public final class MemoryRepository {
  private static final String COLUMNS =
      "id, tenant_id, space_id, content, category, memory_type, state, tier, importance,"
          + " confidence, access_count, last_accessed_at, tags, scope, agent_id, session_id,"
          + " source, relations, superseded_by, invalidated_at, provenance, version, created_at,"
          + " updated_at, expires_at, confirmed, flag";

  private final Database db;

  public MemoryRepository(Database db) {
    this.db = db;
  }

  public Database database() {
    return db;
  }

  /** Inserts a new memory with its vector (null while the model loads); returns the change seq. */
  public long insert(Memory m, float[] vector, String model) {
    return insertAll(List.of(new StoredMemory(m, vector, model)));
  }

  /** Inserts memories in one transaction (one fsync for a whole batch); returns the last seq. */
  public long insertAll(List<StoredMemory> rows) {
    return db.write(c -> insertRows(c, rows));
  }

  private static long insertRows(java.sql.Connection c, List<StoredMemory> rows)
      throws SQLException {
    long seq = 0;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO memories ("
                + COLUMNS
                + ", content_hash, embedding, embedding_model, duplicate_allowed) VALUES"
                + " (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
      for (StoredMemory row : rows) {
        int i = bindMemory(ps, row.memory());
        ps.setString(++i, ContentHash.of(row.memory().content()));
        bindVector(ps, ++i, ++i, row.vector(), row.model());
        ps.setInt(++i, row.duplicateAllowed() ? 1 : 0);
        ps.executeUpdate();
        seq = appendChange(c, row.memory().id());
      }
    }
    return seq;
  }

  /**
   * Applies {@code w} in one transaction, then runs {@code also} (e.g. recording an ingest step) in
   * the same transaction, so either all of it is stored or none. Returns the last change seq.
   */
  public long apply(MemoryWrite w, Database.SqlWork<?> also) {
    return db.write(
        c -> {
          long seq = 0;
          if (!w.inserts().isEmpty()) {
            seq = insertRows(c, w.inserts());
          }
          for (MemoryWrite.Rewrite r : w.rewrites()) {
            seq = rewrite(c, r.memory(), r.contentChanged(), r.vector(), r.model());
          }
          HistoryRepository.append(c, w.historyRows());
          if (also != null) {
            also.run(c);
          }
          return seq;
        });
  }

  /**
   * Rewrites a memory's row. When {@code contentChanged}, the vector is replaced by {@code vector}
   * (null if the model is not ready: the backfill re-embeds it); otherwise it is kept.
   */
  public long update(Memory m, boolean contentChanged, float[] vector, String model) {
    return db.write(c -> rewrite(c, m, contentChanged, vector, model));
  }

  /**
   * Writes the lifecycle fields (tier, state, version, updated_at, expires_at) of several memories
   * in one transaction; everything else, the access count above all, stays as the row has it, so an
   * access counted meanwhile is not lost. Returns the last change seq, 0 for none.
   */
  public long updateLifecycle(List<Memory> memories, List<MemoryWrite.HistoryRow> history) {
    if (memories.isEmpty()) {
      return 0;
    }
    return db.write(
        c -> {
          HistoryRepository.append(c, history);
          long seq = 0;
          for (Memory m : memories) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE memories SET tier=?, state=?, version=?, updated_at=?, expires_at=?"
                        + " WHERE id=?")) {
              ps.setString(1, m.tier().wire());
              ps.setString(2, m.state().wire());
              ps.setLong(3, m.version());
              setInstant(ps, 4, m.updatedAt());
              setInstant(ps, 5, m.expiresAt());
              ps.setString(6, m.id());
              if (ps.executeUpdate() != 1) {
                throw new SQLException("no memory " + m.id());
              }
            }
            seq = appendChange(c, m.id());
          }
          return seq;
        });
  }

  private long rewrite(
      java.sql.Connection c, Memory m, boolean contentChanged, float[] vector, String model)
      throws SQLException {
    String set =
        "tenant_id=?, space_id=?, content=?, category=?, memory_type=?, state=?, tier=?,"
            + " importance=?, confidence=?, access_count=?, last_accessed_at=?, tags=?,"
            + " scope=?, agent_id=?, session_id=?, source=?, relations=?, superseded_by=?,"
            + " invalidated_at=?, provenance=?, version=?, created_at=?, updated_at=?,"
            + " expires_at=?, confirmed=?, flag=?, content_hash=?"
            + (contentChanged ? ", embedding=?, embedding_model=?" : "");
    try (PreparedStatement ps = c.prepareStatement("UPDATE memories SET " + set + " WHERE id=?")) {
      // bindMemory starts with id; shift by binding everything after it ourselves.
      int i = bindMemoryWithoutId(ps, m, 0);
      ps.setString(++i, ContentHash.of(m.content()));
      if (contentChanged) {
        bindVector(ps, ++i, ++i, vector, model);
      }
      ps.setString(++i, m.id());
      if (ps.executeUpdate() != 1) {
        throw new SQLException("no memory " + m.id());
      }
    }
    return appendChange(c, m.id());
  }

  /**
   * Stores a vector computed after the fact (the model was still loading at write time, or the
   * configured model changed), unless the content changed meanwhile.
   */
  public void setEmbedding(String id, String content, float[] vector, String model) {
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE memories SET embedding=?, embedding_model=? WHERE id=? AND content=?")) {
            bindVector(ps, 1, 2, vector, model);
            ps.setString(3, id);
            ps.setString(4, content);
            if (ps.executeUpdate() == 1) {
              appendChange(c, id);
            }
          }
          return null;
        });
  }

  /**
   * Counts one access for each id of {@code tenantId} (an injection, a get, or a top search
   * result), in one transaction. Not a change of the index: access counts are not indexed.
   */
  public void recordAccess(String tenantId, Collection<String> ids, Instant at) {
    if (ids.isEmpty()) {
      return;
    }
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE memories SET access_count=access_count+1, last_accessed_at=? WHERE"
                      + " id=? AND tenant_id=?")) {
            for (String id : ids) {
              ps.setLong(1, at.toEpochMilli());
              ps.setString(2, id);
              ps.setString(3, tenantId);
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
  }

  /** Every active memory, of one tenant or (null) of all: what a decay pass walks. */
  public List<Memory> active(String tenantId) {
    return db.read(
        c -> {
          List<Memory> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM memories WHERE state='active'"
                      + (tenantId == null ? "" : " AND tenant_id=?"))) {
            if (tenantId != null) {
              ps.setString(1, tenantId);
            }
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(map(rs));
              }
            }
          }
          return out;
        });
  }

  public Optional<Memory> find(String tenantId, String id) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT " + COLUMNS + " FROM memories WHERE id=? AND tenant_id=?")) {
            ps.setString(1, id);
            ps.setString(2, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
          }
        });
  }

  /**
   * The copy of memory {@code sourceId} kept in partition {@code tenantId} (its provenance names
   * the source), not deleted; what a second share of the same memory answers.
   */
  public Optional<Memory> findCopy(String tenantId, String sourceId) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM memories WHERE tenant_id=?"
                      + " AND json_extract(provenance, '$.shared_from_memory')=?"
                      + " AND state <> 'deleted' ORDER BY created_at LIMIT 1")) {
            ps.setString(1, tenantId);
            ps.setString(2, sourceId);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
          }
        });
  }

  /** The rows for {@code ids} with their vectors, keyed by id; missing ids are absent. */
  public Map<String, StoredMemory> findStored(Collection<String> ids) {
    Map<String, StoredMemory> out = new LinkedHashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    List<String> all = new ArrayList<>(ids);
    // SQLite's default limit on host parameters is 32766; stay far below it.
    for (int from = 0; from < all.size(); from += 500) {
      List<String> part = all.subList(from, Math.min(all.size(), from + 500));
      db.read(
          c -> {
            String marks = String.join(",", java.util.Collections.nCopies(part.size(), "?"));
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT "
                        + COLUMNS
                        + ", embedding, embedding_model FROM memories WHERE id IN ("
                        + marks
                        + ")")) {
              for (int i = 0; i < part.size(); i++) {
                ps.setString(i + 1, part.get(i));
              }
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  StoredMemory s = mapStored(rs);
                  out.put(s.memory().id(), s);
                }
              }
            }
            return null;
          });
    }
    return out;
  }

  /**
   * For each given memory that belongs to a session, the memory stored right after it (or, with
   * {@code after} false, right before it) in the same session, by storage order: id to neighbour.
   */
  public Map<String, String> neighbours(String tenantId, Collection<String> ids, boolean after) {
    return db.read(
        c -> {
          Map<String, String> out = new LinkedHashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT n.id FROM memories m JOIN memories n ON n.tenant_id=m.tenant_id AND"
                      + " n.session_id=m.session_id AND n.rowid"
                      + (after ? ">" : "<")
                      + "m.rowid WHERE m.id=? AND m.tenant_id=? AND m.session_id IS NOT NULL"
                      + " ORDER BY n.rowid"
                      + (after ? "" : " DESC")
                      + " LIMIT 1")) {
            for (String id : ids) {
              ps.setString(1, id);
              ps.setString(2, tenantId);
              try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                  out.put(id, rs.getString(1));
                }
              }
            }
          }
          return out;
        });
  }

  /** An active memory of the tenant with the same normalised text in the same scope. */
  public Optional<Memory> findActiveDuplicate(String tenantId, String scope, String content) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM memories WHERE tenant_id=? AND content_hash=? AND scope=? AND"
                      + " state='active' LIMIT 1")) {
            ps.setString(1, tenantId);
            ps.setString(2, ContentHash.of(content));
            ps.setString(3, scope);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
          }
        });
  }

  /** One page of memories matching {@code f}, sorted, with the total count. */
  public MemoryPage list(MemoryFilter f, ListSort sort, boolean ascending, int limit, int offset) {
    return db.read(
        c -> {
          List<Object> args = new ArrayList<>();
          String where = whereClause(f, args);
          long total;
          try (PreparedStatement ps =
              c.prepareStatement("SELECT COUNT(*) FROM memories WHERE " + where)) {
            bindAll(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              total = rs.getLong(1);
            }
          }
          List<Memory> page = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM memories WHERE "
                      + where
                      + " ORDER BY "
                      + sort.column()
                      + (ascending ? " ASC" : " DESC")
                      + ", id LIMIT ? OFFSET ?")) {
            List<Object> pageArgs = new ArrayList<>(args);
            pageArgs.add(limit);
            pageArgs.add(offset);
            bindAll(ps, pageArgs);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                page.add(map(rs));
              }
            }
          }
          return new MemoryPage(page, total, limit, offset);
        });
  }

  /** Calls {@code sink} for every row with its vector (the index rebuild reads these). */
  public void forEachStored(Consumer<StoredMemory> sink) {
    db.read(
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT " + COLUMNS + ", embedding, embedding_model FROM memories");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              sink.accept(mapStored(rs));
            }
          }
          return null;
        });
  }

  /**
   * Calls {@code sink} for every row matching {@code f}, with its vector: the search that answers
   * from SQLite while the index is rebuilt reads these.
   */
  public void forEachStored(MemoryFilter f, Consumer<StoredMemory> sink) {
    db.read(
        c -> {
          List<Object> args = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + ", embedding, embedding_model FROM memories WHERE "
                      + whereClause(f, args))) {
            bindAll(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                sink.accept(mapStored(rs));
              }
            }
          }
          return null;
        });
  }

  /** Up to {@code limit} memories with no vector of {@code model} yet: id to content. */
  public Map<String, String> withoutEmbedding(String model, int limit) {
    return db.read(
        c -> {
          Map<String, String> out = new LinkedHashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id, content FROM memories WHERE embedding IS NULL OR embedding_model<>?"
                      + " LIMIT ?")) {
            ps.setString(1, model);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
              }
            }
          }
          return out;
        });
  }

  /** How many memories have no vector of {@code model} yet. */
  public long countWithoutEmbedding(String model) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT COUNT(*) FROM memories WHERE embedding IS NULL OR embedding_model<>?")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  /** Change-log entries after {@code seq}, oldest first. */
  public List<Change> changesAfter(long seq, int limit) {
    return db.read(
        c -> {
          List<Change> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT seq, memory_id FROM changes WHERE seq > ? ORDER BY seq LIMIT ?")) {
            ps.setLong(1, seq);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(new Change(rs.getLong(1), rs.getString(2)));
              }
            }
          }
          return out;
        });
  }

  /** The newest change-log sequence number, 0 when nothing was ever written. */
  public long lastSeq() {
    return db.read(
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT COALESCE(MAX(seq),0) FROM changes");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  /** Drops change-log entries the index has durably applied; they are needed no more. */
  public void pruneChangesThrough(long seq) {
    db.write(
        c -> {
          try (PreparedStatement ps = c.prepareStatement("DELETE FROM changes WHERE seq <= ?")) {
            ps.setLong(1, seq);
            ps.executeUpdate();
          }
          return null;
        });
  }

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

  /**
   * Counts the tenant's memories grouped by {@code column}; deleted ones only when {@code
   * includeDeleted}.
   */
  public Map<String, Long> countBy(String tenantId, String column, boolean includeDeleted) {
    if (!column.matches("[a-z_]+")) {
      throw new IllegalArgumentException(column);
    }
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

  /**
   * A single-row aggregate over the tenant's non-deleted memories, e.g. {@code AVG(importance)}.
   */
  public double aggregate(String tenantId, String expression) {
    if (!expression.matches("[A-Z]+\\([a-z_]+\\)")) {
      throw new IllegalArgumentException(expression);
    }
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

  /** Memories created per UTC day since {@code since}, oldest day first ("2026-11-22" keys). */
  public Map<String, Long> createdPerDay(String tenantId, Instant since) {
    return db.read(
        c -> {
          Map<String, Long> out = new LinkedHashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT date(created_at/1000, 'unixepoch') AS d, COUNT(*) FROM memories WHERE"
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

  public Optional<String> meta(String key) {
    return db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE key=?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
          }
        });
  }

  public void putMeta(String key, String value) {
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("INSERT OR REPLACE INTO meta(key, value) VALUES (?,?)")) {
            ps.setString(1, key);
            ps.setString(2, value);
            ps.executeUpdate();
          }
          return null;
        });
  }

  /** Sets {@code key} only if it has no value yet; returns the value now stored. */
  public String metaIfAbsent(String key, String value) {
    return db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("INSERT OR IGNORE INTO meta(key, value) VALUES (?,?)")) {
            ps.setString(1, key);
            ps.setString(2, value);
            ps.executeUpdate();
          }
          try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE key=?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getString(1);
            }
          }
        });
  }

  // ---- mapping ----

  static long appendChange(Connection c, String memoryId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO changes(memory_id, at) VALUES (?,?)",
            java.sql.Statement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, memoryId);
      ps.setLong(2, System.currentTimeMillis());
      ps.executeUpdate();
      try (ResultSet rs = ps.getGeneratedKeys()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static int bindMemory(PreparedStatement ps, Memory m) throws SQLException {
    ps.setString(1, m.id());
    return bindMemoryWithoutId(ps, m, 1);
  }

  private static int bindMemoryWithoutId(PreparedStatement ps, Memory m, int i)
      throws SQLException {
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

  private static void bindVector(PreparedStatement ps, int vi, int mi, float[] v, String model)
      throws SQLException {
    if (v == null) {
      ps.setNull(vi, Types.BLOB);
      ps.setNull(mi, Types.VARCHAR);
    } else {
      ps.setBytes(vi, Vectors.toBlob(v));
      ps.setString(mi, model);
    }
  }

  private static void setInstant(PreparedStatement ps, int i, Instant t) throws SQLException {
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

  private static Memory map(ResultSet rs) throws SQLException {
    return new Memory(
        rs.getString("id"),
        rs.getString("tenant_id"),
        rs.getString("space_id"),
        rs.getString("content"),
        Category.parse(rs.getString("category")).orElse(Category.ENTITIES),
        MemoryType.fromWire(rs.getString("memory_type")),
        MemoryState.fromWire(rs.getString("state")),
        Tier.fromWire(rs.getString("tier")),
        rs.getDouble("importance"),
        rs.getDouble("confidence"),
        rs.getLong("access_count"),
        instant(rs, "last_accessed_at"),
        JsonColumns.strings(rs.getString("tags")),
        rs.getString("scope"),
        rs.getString("agent_id"),
        rs.getString("session_id"),
        rs.getString("source"),
        JsonColumns.relations(rs.getString("relations")),
        rs.getString("superseded_by"),
        instant(rs, "invalidated_at"),
        JsonColumns.object(rs.getString("provenance")),
        rs.getLong("version"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"),
        instant(rs, "expires_at"),
        new Trust(rs.getInt("confirmed") != 0, rs.getString("flag")));
  }

  private static StoredMemory mapStored(ResultSet rs) throws SQLException {
    return new StoredMemory(
        map(rs), Vectors.fromBlob(rs.getBytes("embedding")), rs.getString("embedding_model"));
  }

  private static String whereClause(MemoryFilter f, List<Object> args) {
    StringBuilder w = new StringBuilder("tenant_id=?");
    args.add(f.tenantId());
    w.append(" AND state IN (")
        .append(String.join(",", java.util.Collections.nCopies(f.states().size(), "?")))
        .append(")");
    f.states().forEach(s -> args.add(s.wire()));
    if (!f.scopes().isEmpty()) {
      w.append(" AND scope IN (")
          .append(String.join(",", java.util.Collections.nCopies(f.scopes().size(), "?")))
          .append(")");
      args.addAll(f.scopes());
    }
    if (!f.categories().isEmpty()) {
      w.append(" AND category IN (")
          .append(String.join(",", java.util.Collections.nCopies(f.categories().size(), "?")))
          .append(")");
      f.categories().forEach(cat -> args.add(cat.wire()));
    }
    for (String tag : f.tags()) {
      w.append(" AND EXISTS (SELECT 1 FROM json_each(memories.tags) WHERE json_each.value=?)");
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
    return w.toString();
  }

  private static void bindAll(PreparedStatement ps, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      ps.setObject(i + 1, args.get(i));
    }
  }
}
