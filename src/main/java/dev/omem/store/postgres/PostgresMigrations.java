package dev.omem.store.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Versioned schema migrations of a PostgreSQL store, tracked in {@code omem_schema}. Each step runs
 * once, in order, in its own transaction, all of them under a session advisory lock: nodes that
 * start together wait for the first one's migration and then find nothing left to do. Add a step at
 * the end; never edit a released one. Step 1 is SQLite's schema after its migration 13, with
 * PostgreSQL's types: BIGINT epoch milliseconds, BYTEA vectors (float32 little-endian, no
 * extension), TEXT JSON columns, and a {@code stored_order} column where SQLite orders by rowid.
 */
final class PostgresMigrations {
  /** The advisory lock key migrations run under: "omem" in ASCII, then 1. */
  static final long LOCK = 0x6F6D656D_00000001L;

  private static final List<String> STEPS =
      List.of(
          // 1: everything the SQLite store holds (its migrations 1 to 13), plus the change log's
          // counter (PostgresChangeLog) and the ingest lease (IngestTaskRepository.claim).
          """
          CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
          CREATE TABLE memories (
            id TEXT PRIMARY KEY,
            stored_order BIGSERIAL NOT NULL,
            tenant_id TEXT NOT NULL,
            space_id TEXT NOT NULL,
            content TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            category TEXT NOT NULL,
            memory_type TEXT NOT NULL,
            state TEXT NOT NULL,
            tier TEXT NOT NULL,
            importance DOUBLE PRECISION NOT NULL,
            confidence DOUBLE PRECISION NOT NULL,
            access_count BIGINT NOT NULL DEFAULT 0,
            last_accessed_at BIGINT,
            tags TEXT NOT NULL DEFAULT '[]',
            scope TEXT NOT NULL,
            agent_id TEXT,
            session_id TEXT,
            source TEXT,
            relations TEXT NOT NULL DEFAULT '{}',
            superseded_by TEXT,
            invalidated_at BIGINT,
            provenance TEXT NOT NULL DEFAULT '{}',
            version BIGINT NOT NULL DEFAULT 1,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            expires_at BIGINT,
            embedding BYTEA,
            embedding_model TEXT,
            confirmed INTEGER NOT NULL DEFAULT 1,
            flag TEXT,
            duplicate_allowed INTEGER NOT NULL DEFAULT 0
          );
          CREATE INDEX memories_tenant_state_created ON memories(tenant_id, state, created_at);
          CREATE INDEX memories_hash ON memories(tenant_id, content_hash);
          CREATE INDEX memories_model ON memories(embedding_model);
          CREATE INDEX memories_session ON memories(tenant_id, session_id, stored_order);
          CREATE INDEX memories_state_updated ON memories(state, updated_at);
          CREATE INDEX memories_shared_from ON memories(
            tenant_id, ((provenance::jsonb) ->> 'shared_from_memory'));
          CREATE UNIQUE INDEX memories_active_unique ON memories(tenant_id, scope, content_hash)
            WHERE state = 'active' AND duplicate_allowed = 0;
          CREATE TABLE changes (
            seq BIGINT PRIMARY KEY,
            memory_id TEXT NOT NULL,
            at BIGINT NOT NULL
          );
          CREATE TABLE change_counter (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            last BIGINT NOT NULL
          );
          INSERT INTO change_counter (id, last) VALUES (1, 0);
          CREATE TABLE tenants (
            id TEXT PRIMARY KEY,
            name TEXT,
            status TEXT NOT NULL,
            created_at BIGINT NOT NULL
          );
          CREATE TABLE hook_offsets (
            tenant_id TEXT NOT NULL,
            session_id TEXT NOT NULL,
            transcript_path TEXT NOT NULL,
            byte_offset BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (tenant_id, session_id, transcript_path)
          );
          CREATE TABLE hook_injections (
            tenant_id TEXT NOT NULL,
            session_id TEXT NOT NULL,
            memory_key TEXT NOT NULL,
            injected_at BIGINT NOT NULL,
            PRIMARY KEY (tenant_id, session_id, memory_key)
          );
          CREATE INDEX hook_offsets_updated ON hook_offsets(updated_at);
          CREATE INDEX hook_injections_at ON hook_injections(injected_at);
          CREATE TABLE memory_history (
            seq BIGSERIAL PRIMARY KEY,
            memory_id TEXT NOT NULL,
            tenant_id TEXT NOT NULL,
            action TEXT NOT NULL,
            at BIGINT NOT NULL,
            session_id TEXT,
            agent_id TEXT,
            source TEXT,
            related_id TEXT,
            note TEXT
          );
          CREATE INDEX memory_history_memory ON memory_history(memory_id, seq);
          CREATE TABLE ingest_tasks (
            id TEXT PRIMARY KEY,
            stored_order BIGSERIAL NOT NULL,
            tenant_id TEXT NOT NULL,
            status TEXT NOT NULL,
            mode TEXT NOT NULL,
            agent_id TEXT,
            session_id TEXT,
            project TEXT,
            facts TEXT,
            error TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            lease_owner TEXT,
            lease_until BIGINT
          );
          CREATE INDEX ingest_tasks_status ON ingest_tasks(status, created_at);
          CREATE TABLE session_turns (
            task_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            tenant_id TEXT NOT NULL,
            session_id TEXT,
            role TEXT NOT NULL,
            content TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (task_id, seq)
          );
          CREATE INDEX session_turns_session ON session_turns(tenant_id, session_id);
          CREATE TABLE ingest_steps (
            task_id TEXT NOT NULL,
            fact_index INTEGER NOT NULL,
            decision TEXT NOT NULL,
            memory_id TEXT,
            related_id TEXT,
            PRIMARY KEY (task_id, fact_index)
          );
          CREATE TABLE spaces (
            id TEXT PRIMARY KEY,
            space_type TEXT NOT NULL,
            name TEXT NOT NULL,
            owner_id TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
          );
          CREATE TABLE space_members (
            space_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            role TEXT NOT NULL,
            joined_at BIGINT NOT NULL,
            PRIMARY KEY (space_id, user_id)
          );
          CREATE INDEX space_members_user ON space_members(user_id);
          CREATE TABLE auto_share_rules (
            id TEXT PRIMARY KEY,
            space_id TEXT NOT NULL,
            source_space TEXT,
            categories TEXT NOT NULL,
            tags TEXT NOT NULL,
            min_importance DOUBLE PRECISION,
            require_approval INTEGER NOT NULL,
            created_by TEXT NOT NULL,
            created_at BIGINT NOT NULL
          );
          CREATE INDEX auto_share_rules_space ON auto_share_rules(space_id);
          CREATE TABLE imports (
            id TEXT PRIMARY KEY,
            stored_order BIGSERIAL NOT NULL,
            tenant_id TEXT NOT NULL,
            file_type TEXT NOT NULL,
            file_name TEXT,
            strategy TEXT,
            status TEXT NOT NULL,
            total_items INTEGER NOT NULL,
            processed INTEGER NOT NULL DEFAULT 0,
            imported INTEGER NOT NULL DEFAULT 0,
            skipped INTEGER NOT NULL DEFAULT 0,
            errors TEXT NOT NULL DEFAULT '[]',
            task_id TEXT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
          );
          CREATE INDEX imports_tenant ON imports(tenant_id, created_at);
          CREATE TABLE import_items (
            import_id TEXT NOT NULL,
            memory_id TEXT NOT NULL,
            stored_order BIGSERIAL NOT NULL,
            PRIMARY KEY (import_id, memory_id)
          );
          CREATE TABLE api_keys (
            id TEXT PRIMARY KEY,
            stored_order BIGSERIAL NOT NULL,
            tenant_id TEXT NOT NULL,
            name TEXT NOT NULL,
            prefix TEXT,
            key_hash TEXT NOT NULL UNIQUE,
            created_at BIGINT NOT NULL,
            last_used_at BIGINT,
            rotated_at BIGINT,
            revoked_at BIGINT
          );
          CREATE INDEX api_keys_tenant ON api_keys(tenant_id, created_at);
          CREATE TABLE space_invitations (
            id TEXT PRIMARY KEY,
            space_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            role TEXT NOT NULL,
            invited_by TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            UNIQUE (space_id, user_id)
          );
          CREATE INDEX space_invitations_user ON space_invitations(user_id);
          CREATE TABLE idempotency_keys (
            owner TEXT NOT NULL,
            key TEXT NOT NULL,
            request TEXT NOT NULL,
            status INTEGER NOT NULL,
            body BYTEA NOT NULL,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (owner, key)
          );
          CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at)
          """,
          // 2: SQLite's 16: whether a tenant has a superseded memory at all (SuccessorLead).
          """
          CREATE INDEX memories_superseded ON memories(tenant_id) WHERE superseded_by IS NOT NULL
          """,
          // 3 (SQLite's 17): the node that wrote each change-log entry: a node measures the
          // replication lag of
          // the others' writes (omem_index_replication_lag_seconds). Null: written before.
          """
          ALTER TABLE changes ADD COLUMN node TEXT
          """);

  private PostgresMigrations() {}

  static int latestVersion() {
    return STEPS.size();
  }

  static int currentVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT CASE WHEN to_regclass('omem_schema') IS NULL THEN 0"
                    + " ELSE (SELECT COALESCE(MAX(version), 0) FROM omem_schema) END")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  /** Migrates to the latest version; {@code c} is in autocommit mode and left so. */
  static void apply(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SELECT pg_advisory_lock(" + LOCK + ")");
      try {
        s.execute("CREATE TABLE IF NOT EXISTS omem_schema (version INTEGER NOT NULL)");
        int current = currentVersion(c);
        if (current > STEPS.size()) {
          throw new SQLException(
              "the database's schema version "
                  + current
                  + " is newer than this omem ("
                  + STEPS.size()
                  + "): upgrade omem on this node");
        }
        for (int v = current; v < STEPS.size(); v++) {
          c.setAutoCommit(false);
          try {
            s.execute(STEPS.get(v)); // a whole step in one round trip
            s.execute("DELETE FROM omem_schema");
            s.execute("INSERT INTO omem_schema (version) VALUES (" + (v + 1) + ")");
            c.commit();
          } catch (SQLException e) {
            c.rollback();
            throw e;
          } finally {
            c.setAutoCommit(true);
          }
        }
      } finally {
        s.execute("SELECT pg_advisory_unlock(" + LOCK + ")");
      }
    }
  }
}
