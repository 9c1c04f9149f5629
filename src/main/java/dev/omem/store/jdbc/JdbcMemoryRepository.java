package dev.omem.store.jdbc;

import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryPage;
import dev.omem.store.Change;
import dev.omem.store.ContentHash;
import dev.omem.store.ListSort;
import dev.omem.store.MemoryRepository;
import dev.omem.store.MemoryWrite;
import dev.omem.store.StoredMemory;
import dev.omem.store.Vectors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Memory rows in SQLite or PostgreSQL ({@link MemoryRows} maps them), one copy for both: where they
 * differ, the {@link SqlDialect} says (the tag filter, a JSON field, the page's row key), the
 * database runs access counts ({@link JdbcDatabase#eachStatement}) and the backend's {@link
 * ChangeAppend} appends to its change log. The other concerns of {@link MemoryRepository} are
 * delegated to their own classes (change log, embedding queue, statistics, meta, session
 * neighbours, filtered pages). Each backend names it once ({@code SqliteMemoryRepository}, {@code
 * PostgresMemoryRepository}) with its change log.
 */
public class JdbcMemoryRepository implements MemoryRepository {
  private final JdbcDatabase db;
  private final ChangeAppend log;
  private final JdbcChangeLog changes;
  private final JdbcEmbeddingQueue embeddings;
  private final JdbcMemoryStatistics statistics;
  private final JdbcMetaStore meta;
  private final JdbcSessionNeighbours sessions;
  private final JdbcMemoryPages pages;

  /**
   * @param log how the backend appends to its change log, in the writing transaction
   * @param lastSeqQuery the backend's query of its newest committed seq ({@link JdbcChangeLog})
   * @param changesAfterQuery the backend's query of the entries after a seq ({@link JdbcChangeLog})
   * @param node the name this process's entries carry in a cluster's log; null for a store one
   *     process writes
   */
  protected JdbcMemoryRepository(
      JdbcDatabase db,
      ChangeAppend log,
      String lastSeqQuery,
      String changesAfterQuery,
      String node) {
    this.db = db;
    this.log = log;
    this.changes = new JdbcChangeLog(db, lastSeqQuery, changesAfterQuery, node);
    this.embeddings = new JdbcEmbeddingQueue(db, log);
    this.statistics = new JdbcMemoryStatistics(db);
    this.meta = new JdbcMetaStore(db);
    this.sessions = new JdbcSessionNeighbours(db);
    this.pages = new JdbcMemoryPages(db);
  }

  @Override
  public long apply(MemoryWrite w, Runnable also) {
    return db.write(
        c -> {
          log.lockFirst(c);
          long seq = 0;
          try (PreparedStatement ps = c.prepareStatement(MemoryRows.INSERT)) {
            for (StoredMemory row : w.inserts()) {
              MemoryRows.bindInsert(ps, row);
              ps.executeUpdate();
              seq = log.append(c, row.memory().id());
            }
          }
          for (MemoryWrite.Rewrite r : w.rewrites()) {
            seq = rewrite(c, r);
          }
          JdbcHistoryRepository.append(c, w.historyRows());
          if (also != null) {
            also.run(); // its writes join this transaction (JdbcDatabase.write is reentrant)
          }
          return seq;
        });
  }

  private long rewrite(Connection c, MemoryWrite.Rewrite r) throws SQLException {
    Memory m = r.memory();
    String set =
        MemoryRows.SET_ALL + (r.contentChanged() ? ", embedding=?, embedding_model=?" : "");
    try (PreparedStatement ps = c.prepareStatement("UPDATE memories SET " + set + " WHERE id=?")) {
      int i = MemoryRows.bindAfterId(ps, m, 0);
      ps.setString(++i, ContentHash.of(m.content()));
      if (r.contentChanged()) {
        MemoryRows.bindVector(ps, ++i, ++i, r.vector(), r.model());
      }
      ps.setString(++i, m.id());
      if (ps.executeUpdate() != 1) {
        throw new SQLException("no memory " + m.id());
      }
    }
    return log.append(c, m.id());
  }

  @Override
  public long updateLifecycle(List<Memory> memories, List<MemoryWrite.HistoryRow> history) {
    if (memories.isEmpty()) {
      return 0;
    }
    return db.write(
        c -> {
          log.lockFirst(c);
          JdbcHistoryRepository.append(c, history);
          long seq = 0;
          for (Memory m : memories) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE memories SET tier=?, state=?, version=?, updated_at=?, expires_at=?"
                        + " WHERE id=?")) {
              ps.setString(1, m.tier().wire());
              ps.setString(2, m.state().wire());
              ps.setLong(3, m.version());
              MemoryRows.setInstant(ps, 4, m.updatedAt());
              MemoryRows.setInstant(ps, 5, m.expiresAt());
              ps.setString(6, m.id());
              if (ps.executeUpdate() != 1) {
                throw new SQLException("no memory " + m.id());
              }
            }
            seq = log.append(c, m.id());
          }
          return seq;
        });
  }

  @Override
  public void recordAccess(String tenantId, Collection<String> ids, Instant at) {
    if (ids.isEmpty()) {
      return;
    }
    // Not in the change log, and independent rows: PostgreSQL commits each on its own (no lock
    // cycle with a write of several rows), SQLite all in one transaction (one fsync).
    db.eachStatement(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE memories SET access_count=access_count+1, last_accessed_at=? WHERE"
                      + " id=? AND tenant_id=?")) {
            for (String id : ids) {
              ps.setLong(1, at.toEpochMilli());
              ps.setString(2, id);
              ps.setString(3, tenantId);
              ps.executeUpdate();
            }
          }
          return null;
        });
  }

  @Override
  public List<Memory> active(String tenantId) {
    return tenantId == null
        ? query("state='active'")
        : query("state='active' AND tenant_id=?", tenantId);
  }

  @Override
  public Optional<Memory> find(String tenantId, String id) {
    return query("id=? AND tenant_id=?", id, tenantId).stream().findFirst();
  }

  @Override
  public Optional<Memory> findCopy(String tenantId, String sourceId) {
    return query(
            "tenant_id=? AND "
                + db.dialect().jsonField("provenance", "shared_from_memory") // an index's text
                + "=?"
                + " AND state <> 'deleted' ORDER BY created_at LIMIT 1",
            tenantId,
            sourceId)
        .stream()
        .findFirst();
  }

  @Override
  public Optional<Memory> findActiveDuplicate(String tenantId, String scope, String content) {
    return query(ACTIVE_DUPLICATE, tenantId, ContentHash.of(content), scope).stream().findFirst();
  }

  /**
   * Every store's duplicate look-up. {@code state||''} keeps SQLite's planner off the (tenant,
   * state, created) index, which it chose without statistics: that read every active memory of the
   * tenant, 17 ms of CPU a store at 10k memories (a tenth of that at 1k, ten times at 100k),
   * against 0.02 ms through the (tenant, content hash) index (BENCHMARKS.md, session 11). The order
   * is the one the old plan read in, so when several active rows share a text (duplicates allowed)
   * the same, oldest one is found.
   */
  public static final String ACTIVE_DUPLICATE =
      "tenant_id=? AND content_hash=? AND scope=? AND state||''='active'"
          + " ORDER BY created_at, id LIMIT 1";

  @Override
  public boolean hasSuperseded(String tenantId) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT 1 FROM memories WHERE tenant_id=? AND superseded_by IS NOT NULL LIMIT 1")) {
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next();
            }
          }
        });
  }

  @Override
  public List<float[]> supersededVectors(String tenantId, int max) {
    return db.read(
        c -> {
          List<float[]> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT embedding FROM memories WHERE tenant_id=? AND superseded_by IS NOT NULL"
                      + " AND embedding IS NOT NULL LIMIT ?")) {
            ps.setString(1, tenantId);
            ps.setInt(2, max + 1);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(Vectors.fromBlob(rs.getBytes(1)));
              }
            }
          }
          return out.size() > max ? null : out;
        });
  }

  /** The memories of {@code SELECT ... WHERE} {@code where}, bound to {@code args}. */
  private List<Memory> query(String where, Object... args) {
    return db.read(
        c -> {
          List<Memory> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT " + MemoryRows.COLUMNS + " FROM memories WHERE " + where)) {
            MemoryRows.bindAll(ps, Arrays.asList(args)); // a null binds as NULL, as before
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(MemoryRows.map(rs));
              }
            }
          }
          return out;
        });
  }

  @Override
  public Map<String, StoredMemory> findStored(Collection<String> ids) {
    Map<String, StoredMemory> out = new LinkedHashMap<>();
    List<String> all = new ArrayList<>(ids);
    // SQLite's default limit on host parameters is 32766, PostgreSQL's 32767; stay far below.
    for (int from = 0; from < all.size(); from += 500) {
      List<Object> part = new ArrayList<>(all.subList(from, Math.min(all.size(), from + 500)));
      stored(
          "id IN (" + MemoryRows.marks(part.size()) + ")", part, s -> out.put(s.memory().id(), s));
    }
    return out;
  }

  @Override
  public List<String> idsOldestFirst(MemoryFilter f) {
    return pages.idsOldestFirst(f);
  }

  @Override
  public MemoryPage list(MemoryFilter f, ListSort sort, boolean ascending, int limit, int offset) {
    return pages.list(f, sort, ascending, limit, offset);
  }

  @Override
  public void forEachStored(Consumer<StoredMemory> sink) {
    stored("1=1", List.of(), sink);
  }

  @Override
  public void forEachStored(MemoryFilter f, Consumer<StoredMemory> sink) {
    List<Object> args = new ArrayList<>();
    String where = MemoryRows.where(f, args, db.dialect().tagFilter());
    stored(where, args, sink);
  }

  /** Calls {@code sink} for every row, with its vector, of {@code WHERE} {@code where}. */
  private void stored(String where, List<Object> args, Consumer<StoredMemory> sink) {
    db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + MemoryRows.COLUMNS
                      + ", embedding, embedding_model FROM memories WHERE "
                      + where)) {
            MemoryRows.bindAll(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                sink.accept(MemoryRows.mapStored(rs));
              }
            }
          }
          return null;
        });
  }

  // ---- the narrower concerns, each in its own class ----

  @Override
  public List<Change> changesAfter(long seq, int limit) {
    return changes.changesAfter(seq, limit);
  }

  @Override
  public <T> T durableAfter(java.util.function.Supplier<T> work) {
    return db.durableAfter(work);
  }

  @Override
  public void durableNow() {
    db.durableNow();
  }

  @Override
  public long lastSeq() {
    return changes.lastSeq();
  }

  @Override
  public void pruneChangesThrough(long seq) {
    changes.pruneChangesThrough(seq);
  }

  @Override
  public void setEmbedding(String id, String content, float[] vector, String model) {
    embeddings.setEmbedding(id, content, vector, model);
  }

  @Override
  public Map<String, String> withoutEmbedding(String model, int limit) {
    return embeddings.withoutEmbedding(model, limit);
  }

  @Override
  public long countWithoutEmbedding(String model) {
    return embeddings.countWithoutEmbedding(model);
  }

  @Override
  public long countAll() {
    return statistics.countAll();
  }

  @Override
  public Map<String, Long> countBy(String tenantId, Field field, boolean includeDeleted) {
    return statistics.countBy(tenantId, field, includeDeleted);
  }

  @Override
  public double aggregate(String tenantId, Aggregate aggregate) {
    return statistics.aggregate(tenantId, aggregate);
  }

  @Override
  public Map<String, Long> createdPerDay(String tenantId, Instant since) {
    return statistics.createdPerDay(tenantId, since);
  }

  @Override
  public Optional<String> meta(String key) {
    return meta.meta(key);
  }

  @Override
  public void putMeta(String key, String value) {
    meta.putMeta(key, value);
  }

  @Override
  public void putAllMeta(Map<String, String> values) {
    meta.putAllMeta(values);
  }

  @Override
  public String metaIfAbsent(String key, String value) {
    return meta.metaIfAbsent(key, value);
  }

  @Override
  public Map<String, String> neighbours(String tenantId, Collection<String> ids, boolean after) {
    return sessions.neighbours(tenantId, ids, after);
  }
}
