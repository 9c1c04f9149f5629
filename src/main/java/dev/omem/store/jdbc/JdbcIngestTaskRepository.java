package dev.omem.store.jdbc;

import dev.omem.store.IngestTaskRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The durable ingest queue: tasks, the raw turns each one logged (the session log), the facts
 * extracted for it, and the decision taken for each fact.
 */
public final class JdbcIngestTaskRepository implements IngestTaskRepository {

  private final JdbcDatabase db;

  public JdbcIngestTaskRepository(JdbcDatabase db) {
    this.db = db;
  }

  /** Logs the turns and queues the task, in one transaction. */
  public void create(TaskRow t, List<TurnRow> turns) {
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO ingest_tasks (id, tenant_id, status, mode, agent_id, session_id,"
                      + " project, facts, error, attempts, created_at, updated_at) VALUES"
                      + " (?,?,?,?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, t.id());
            ps.setString(2, t.tenantId());
            ps.setString(3, t.status());
            ps.setString(4, t.mode());
            ps.setString(5, t.agentId());
            ps.setString(6, t.sessionId());
            ps.setString(7, t.project());
            ps.setString(8, t.factsJson());
            ps.setString(9, t.error());
            ps.setInt(10, t.attempts());
            ps.setLong(11, t.createdAt().toEpochMilli());
            ps.setLong(12, t.updatedAt().toEpochMilli());
            ps.executeUpdate();
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO session_turns (task_id, seq, tenant_id, session_id, role, content,"
                      + " created_at) VALUES (?,?,?,?,?,?,?)")) {
            for (int i = 0; i < turns.size(); i++) {
              ps.setString(1, t.id());
              ps.setInt(2, i);
              ps.setString(3, t.tenantId());
              ps.setString(4, t.sessionId());
              ps.setString(5, turns.get(i).role());
              ps.setString(6, turns.get(i).content());
              ps.setLong(7, t.createdAt().toEpochMilli());
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
  }

  public Optional<TaskRow> find(String tenantId, String id) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT * FROM ingest_tasks WHERE id=? AND tenant_id=?")) {
            ps.setString(1, id);
            ps.setString(2, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
          }
        });
  }

  /** Ids of the tasks still to run (pending, or running when the process stopped), oldest first. */
  public List<String> unfinished() {
    return db.read(
        c -> {
          List<String> out = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT id FROM ingest_tasks WHERE status IN ('pending','running') ORDER BY"
                          + " created_at, "
                          + db.dialect().insertionOrder());
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(rs.getString(1));
            }
          }
          return out;
        });
  }

  /** The task by id whatever its tenant (the worker's view). */
  public Optional<TaskRow> get(String id) {
    return db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT * FROM ingest_tasks WHERE id=?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
          }
        });
  }

  public List<TurnRow> turns(String taskId) {
    return db.read(
        c -> {
          List<TurnRow> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT role, content FROM session_turns WHERE task_id=? ORDER BY seq")) {
            ps.setString(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(new TurnRow(rs.getString(1), rs.getString(2)));
              }
            }
          }
          return out;
        });
  }

  public List<StepRow> steps(String taskId) {
    return db.read(
        c -> {
          List<StepRow> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT fact_index, decision, memory_id, related_id FROM ingest_steps WHERE"
                      + " task_id=? ORDER BY fact_index")) {
            ps.setString(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new StepRow(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4)));
              }
            }
          }
          return out;
        });
  }

  @Override
  public void start(String id, Instant at) {
    setStatus(id, "running", null, at, true);
  }

  @Override
  public Optional<TaskRow> claim(String owner, Instant now, Instant leaseUntil) {
    return db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE ingest_tasks SET status='running', attempts=attempts+1, lease_owner=?,"
                      + " lease_until=?, updated_at=? WHERE id=(SELECT id FROM ingest_tasks"
                      + " WHERE status='pending' OR (status='running' AND (lease_until IS NULL"
                      + " OR lease_until<?)) ORDER BY created_at, "
                      + db.dialect().insertionOrder()
                      + " LIMIT 1"
                      + db.dialect().claimLock()
                      + ")"
                      + " RETURNING *")) {
            ps.setString(1, owner);
            ps.setLong(2, leaseUntil.toEpochMilli());
            ps.setLong(3, now.toEpochMilli());
            ps.setLong(4, now.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public boolean renewLease(String id, String owner, Instant leaseUntil) {
    return db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE ingest_tasks SET lease_until=? WHERE id=? AND lease_owner=?"
                      + " AND status='running'")) {
            ps.setLong(1, leaseUntil.toEpochMilli());
            ps.setString(2, id);
            ps.setString(3, owner);
            return ps.executeUpdate() == 1;
          }
        });
  }

  /** Stores the extracted facts, so a resumed task never extracts again. */
  public void saveFacts(String id, String factsJson, Instant at) {
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE ingest_tasks SET facts=?, updated_at=? WHERE id=?")) {
            ps.setString(1, factsJson);
            ps.setLong(2, at.toEpochMilli());
            ps.setString(3, id);
            ps.executeUpdate();
          }
          return null;
        });
  }

  /** Ends the task: {@code done} or {@code failed} (with the reason). */
  public void finish(String id, String status, String error, Instant at) {
    setStatus(id, status, error, at, false);
  }

  private void setStatus(String id, String status, String error, Instant at, boolean attempt) {
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE ingest_tasks SET status=?, error=?, updated_at=?, attempts=attempts+?"
                      + " WHERE id=?")) {
            ps.setString(1, status);
            ps.setString(2, error);
            ps.setLong(3, at.toEpochMilli());
            ps.setInt(4, attempt ? 1 : 0);
            ps.setString(5, id);
            ps.executeUpdate();
          }
          return null;
        });
  }

  /**
   * Records the decision for one fact, on the writer's connection inside the transaction that
   * applies it (see {@link MemoryRepository#apply}).
   */
  @Override
  public void recordStep(String taskId, StepRow step) {
    db.write(
        c -> {
          recordStep(c, taskId, step);
          return null;
        });
  }

  static void recordStep(Connection c, String taskId, StepRow step) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO ingest_steps (task_id, fact_index, decision, memory_id, related_id)"
                + " VALUES (?,?,?,?,?)")) {
      ps.setString(1, taskId);
      ps.setInt(2, step.factIndex());
      ps.setString(3, step.decision());
      ps.setString(4, step.memoryId());
      ps.setString(5, step.relatedId());
      ps.executeUpdate();
    }
  }

  private static TaskRow map(ResultSet rs) throws SQLException {
    return new TaskRow(
        rs.getString("id"),
        rs.getString("tenant_id"),
        rs.getString("status"),
        rs.getString("mode"),
        rs.getString("agent_id"),
        rs.getString("session_id"),
        rs.getString("project"),
        rs.getString("facts"),
        rs.getString("error"),
        rs.getInt("attempts"),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        Instant.ofEpochMilli(rs.getLong("updated_at")));
  }
}
