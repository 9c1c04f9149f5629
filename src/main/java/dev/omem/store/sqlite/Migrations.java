package dev.omem.store.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Versioned schema migrations, tracked in SQLite's {@code user_version}. Each step runs once, in
 * order, in its own transaction. Add a step at the end; never edit a released one.
 */
final class Migrations {
  private static final List<String> STEPS =
      List.of(
          // 1: memories, the change log the Lucene index catches up from, and key/value meta.
          """
          CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
          CREATE TABLE memories (
            id TEXT PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            space_id TEXT NOT NULL,
            content TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            category TEXT NOT NULL,
            memory_type TEXT NOT NULL,
            state TEXT NOT NULL,
            tier TEXT NOT NULL,
            importance REAL NOT NULL,
            confidence REAL NOT NULL,
            access_count INTEGER NOT NULL DEFAULT 0,
            last_accessed_at INTEGER,
            tags TEXT NOT NULL DEFAULT '[]',
            scope TEXT NOT NULL,
            agent_id TEXT,
            session_id TEXT,
            source TEXT,
            relations TEXT NOT NULL DEFAULT '{}',
            superseded_by TEXT,
            invalidated_at INTEGER,
            provenance TEXT NOT NULL DEFAULT '{}',
            version INTEGER NOT NULL DEFAULT 1,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            expires_at INTEGER,
            embedding BLOB,
            embedding_model TEXT
          );
          CREATE INDEX memories_tenant_state_created ON memories(tenant_id, state, created_at);
          CREATE INDEX memories_hash ON memories(tenant_id, content_hash);
          CREATE INDEX memories_model ON memories(embedding_model);
          CREATE TABLE changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            memory_id TEXT NOT NULL,
            at INTEGER NOT NULL
          );
          """,
          // 2: the order memories were stored in within a session (rowid), for context expansion.
          """
          CREATE INDEX memories_session ON memories(tenant_id, session_id);
          """,
          // 3: tenants of omem serve; keys are kept only as SHA-256 hashes.
          """
          CREATE TABLE tenants (
            id TEXT PRIMARY KEY,
            name TEXT,
            key_hash TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL,
            created_at INTEGER NOT NULL
          );
          """,
          // 4: what the Claude Code hooks remember per agent session, so that it survives a
          // daemon restart: how far each transcript was captured, and which memories were
          // already injected (a memory is never injected twice in one session).
          """
          CREATE TABLE hook_offsets (
            tenant_id TEXT NOT NULL,
            session_id TEXT NOT NULL,
            transcript_path TEXT NOT NULL,
            byte_offset INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (tenant_id, session_id, transcript_path)
          );
          CREATE TABLE hook_injections (
            tenant_id TEXT NOT NULL,
            session_id TEXT NOT NULL,
            memory_key TEXT NOT NULL,
            injected_at INTEGER NOT NULL,
            PRIMARY KEY (tenant_id, session_id, memory_key)
          );
          CREATE INDEX hook_offsets_updated ON hook_offsets(updated_at);
          CREATE INDEX hook_injections_at ON hook_injections(injected_at);
          """,
          // 5: smart ingest and reconciliation (issue 6). Each memory's history (every write
          // leaves a step; existing memories get their creation); ingest tasks, the durable
          // queue extraction runs from; the raw turns of each ingest (the session log, kept for
          // re-extraction); and each task's per-fact decisions, written in the same transaction
          // as the fact's memory, so a restart resumes a task without deciding a fact twice.
          """
          CREATE TABLE memory_history (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            memory_id TEXT NOT NULL,
            tenant_id TEXT NOT NULL,
            action TEXT NOT NULL,
            at INTEGER NOT NULL,
            session_id TEXT,
            agent_id TEXT,
            source TEXT,
            related_id TEXT,
            note TEXT
          );
          CREATE INDEX memory_history_memory ON memory_history(memory_id, seq);
          INSERT INTO memory_history (memory_id, tenant_id, action, at, session_id, agent_id, source)
            SELECT id, tenant_id, 'created', created_at, session_id, agent_id, source FROM memories
            ORDER BY rowid;
          CREATE TABLE ingest_tasks (
            id TEXT PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            status TEXT NOT NULL,
            mode TEXT NOT NULL,
            agent_id TEXT,
            session_id TEXT,
            project TEXT,
            facts TEXT,
            error TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
          );
          CREATE INDEX ingest_tasks_status ON ingest_tasks(status, created_at);
          CREATE TABLE session_turns (
            task_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            tenant_id TEXT NOT NULL,
            session_id TEXT,
            role TEXT NOT NULL,
            content TEXT NOT NULL,
            created_at INTEGER NOT NULL,
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
          """,
          // 6: team and organization spaces (personal spaces are implied by each tenant), their
          // members with roles, and their auto-share rules. A memory of a team or organization
          // space is kept under the space's id in memories.tenant_id (its partition), so every
          // tenant-keyed read and the index's tenant filter serve spaces unchanged.
          """
          CREATE TABLE spaces (
            id TEXT PRIMARY KEY,
            space_type TEXT NOT NULL,
            name TEXT NOT NULL,
            owner_id TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
          );
          CREATE TABLE space_members (
            space_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            role TEXT NOT NULL,
            joined_at INTEGER NOT NULL,
            PRIMARY KEY (space_id, user_id)
          );
          CREATE INDEX space_members_user ON space_members(user_id);
          CREATE TABLE auto_share_rules (
            id TEXT PRIMARY KEY,
            space_id TEXT NOT NULL,
            source_space TEXT,
            categories TEXT NOT NULL,
            tags TEXT NOT NULL,
            min_importance REAL,
            require_approval INTEGER NOT NULL,
            created_by TEXT NOT NULL,
            created_at INTEGER NOT NULL
          );
          CREATE INDEX auto_share_rules_space ON auto_share_rules(space_id);
          CREATE INDEX memories_shared_from ON memories(
            tenant_id, json_extract(provenance, '$.shared_from_memory'));
          """,
          // 7: imports (issue 7). One row per import with its progress and error entries (JSON),
          // and the memories each one created, which a rollback soft-deletes.
          """
          CREATE TABLE imports (
            id TEXT PRIMARY KEY,
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
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
          );
          CREATE INDEX imports_tenant ON imports(tenant_id, created_at);
          CREATE TABLE import_items (
            import_id TEXT NOT NULL,
            memory_id TEXT NOT NULL,
            PRIMARY KEY (import_id, memory_id)
          );
          """,
          // 8: API keys (issue 12). A tenant holds several named keys, each kept only as its
          // SHA-256 hash with a short prefix to tell it apart; a key is revoked, never deleted.
          // Each tenant's one key moves here as "default" (its prefix is unknown: only the hash
          // was kept), and the tenants table is rebuilt without its key column.
          """
          CREATE TABLE api_keys (
            id TEXT PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            name TEXT NOT NULL,
            prefix TEXT,
            key_hash TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL,
            last_used_at INTEGER,
            rotated_at INTEGER,
            revoked_at INTEGER
          );
          CREATE INDEX api_keys_tenant ON api_keys(tenant_id, created_at);
          INSERT INTO api_keys (id, tenant_id, name, prefix, key_hash, created_at)
            SELECT 'key_' || lower(hex(randomblob(12))), id, 'default', NULL, key_hash, created_at
            FROM tenants ORDER BY rowid;
          CREATE TABLE tenants_keyless (
            id TEXT PRIMARY KEY,
            name TEXT,
            status TEXT NOT NULL,
            created_at INTEGER NOT NULL
          );
          INSERT INTO tenants_keyless (id, name, status, created_at)
            SELECT id, name, status, created_at FROM tenants;
          DROP TABLE tenants;
          ALTER TABLE tenants_keyless RENAME TO tenants;
          """,
          // 9: consent for membership (issue 12). Being added to a space is an invitation; only
          // an accepted one is a row of space_members, so every read of membership (search, list,
          // auto-share, access) ignores invitees by construction. Memberships made before this
          // step were never agreed to: each one of a tenant other than the space's owner becomes
          // an invitation that tenant accepts or declines.
          """
          CREATE TABLE space_invitations (
            id TEXT PRIMARY KEY,
            space_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            role TEXT NOT NULL,
            invited_by TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            UNIQUE (space_id, user_id)
          );
          CREATE INDEX space_invitations_user ON space_invitations(user_id);
          INSERT INTO space_invitations (id, space_id, user_id, role, invited_by, created_at)
            SELECT lower(hex(randomblob(16))), m.space_id, m.user_id, m.role, s.owner_id,
              m.joined_at
            FROM space_members m JOIN spaces s ON s.id = m.space_id
            WHERE m.user_id <> s.owner_id;
          DELETE FROM space_members WHERE user_id <> (
            SELECT owner_id FROM spaces WHERE spaces.id = space_members.space_id)
          """,
          // 10: the answers to writes sent with an Idempotency-Key, so a write retried after the
          // daemon was killed is applied once (IdempotencyRepository).
          """
          CREATE TABLE idempotency_keys (
            owner TEXT NOT NULL,
            key TEXT NOT NULL,
            request TEXT NOT NULL,
            status INTEGER NOT NULL,
            body BLOB NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (owner, key)
          );
          CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
          """,
          // 11: upkeep (issue 12). The retention purge finds deleted memories by when they were
          // deleted without reading every row (each carries its vector: a scan reads them all).
          """
          CREATE INDEX memories_state_updated ON memories(state, updated_at);
          """,
          // 12: trust (issue 14). confirmed = 0 for a candidate (a fact ingest extracted, until
          // it is confirmed); flag = why the injection screen flagged the text, NULL when clean.
          // Memories stored before this step were all trusted: they stay confirmed.
          """
          ALTER TABLE memories ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 1;
          ALTER TABLE memories ADD COLUMN flag TEXT;
          """,
          // 13: one write path (issue 15). At most one active memory per partition, scope and
          // content hash, enforced by a partial unique index (PostgreSQL has the same). Shared
          // copies and forced imports may repeat a text: duplicate_allowed = 1 leaves them out.
          // A store that already holds duplicates (a race of older builds) keeps every row as it
          // is: the oldest of each group stays in the index, the later ones are marked allowed.
          """
          ALTER TABLE memories ADD COLUMN duplicate_allowed INTEGER NOT NULL DEFAULT 0;
          UPDATE memories SET duplicate_allowed = 1
            WHERE json_extract(provenance, '$.shared_from_memory') IS NOT NULL;
          UPDATE memories SET duplicate_allowed = 1
            WHERE state = 'active' AND duplicate_allowed = 0 AND EXISTS (
              SELECT 1 FROM memories o
              WHERE o.tenant_id = memories.tenant_id AND o.content_hash = memories.content_hash
                AND o.scope = memories.scope AND o.state = 'active' AND o.duplicate_allowed = 0
                AND o.rowid < memories.rowid);
          CREATE UNIQUE INDEX memories_active_unique ON memories(tenant_id, scope, content_hash)
            WHERE state = 'active' AND duplicate_allowed = 0;
          """,
          // 14: ingest leases (issue 16). A task claimed by a worker is its for a while
          // (IngestTaskRepository.claim); a task whose lease ran out is claimed again.
          """
          ALTER TABLE ingest_tasks ADD COLUMN lease_owner TEXT;
          ALTER TABLE ingest_tasks ADD COLUMN lease_until INTEGER;
          """,
          // 15: the list's page by creation (issue 18, the web UI's Browse): with the id in the
          // index the page's ids are found and ordered from the index alone, the 50 rows read after
          // (SqliteMemoryRepository.list); 6 ms of CPU instead of 35-50 at 10,000 memories.
          // It covers everything the older index served, so it replaces it.
          """
          CREATE INDEX memories_tenant_state_created_id
            ON memories(tenant_id, state, created_at, id);
          DROP INDEX memories_tenant_state_created;
          """,
          // 16: whether a tenant has a superseded memory at all, for every default search
          // (SuccessorLead skips its look-up when none is): a partial index holds only those rows.
          """
          CREATE INDEX memories_superseded ON memories(tenant_id) WHERE superseded_by IS NOT NULL;
          """,
          // 17: PostgreSQL's 3 (the node that wrote a change-log entry). A SQLite store has one
          // writer and leaves it null; the column is here so both backends keep one schema, which
          // the backup file (a SQLite store) and omem migrate copy column by column.
          """
          ALTER TABLE changes ADD COLUMN node TEXT;
          """);

  private Migrations() {}

  static int latestVersion() {
    return STEPS.size();
  }

  static int currentVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  /** The version a store had before the step whose SQL contains {@code fragment} (for tests). */
  static int versionBefore(String fragment) {
    for (int v = 0; v < STEPS.size(); v++) {
      if (STEPS.get(v).contains(fragment)) {
        return v;
      }
    }
    throw new IllegalArgumentException("no migration step contains " + fragment);
  }

  static void apply(Connection c) throws SQLException {
    apply(c, STEPS.size());
  }

  /** Applies the steps up to version {@code target} (tests build older stores with it). */
  static void apply(Connection c, int target) throws SQLException {
    int current = currentVersion(c);
    if (current > STEPS.size()) {
      throw new SQLException(
          "the store's schema version "
              + current
              + " is newer than this omem ("
              + STEPS.size()
              + "): upgrade omem");
    }
    for (int v = current; v < target; v++) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        for (String sql : STEPS.get(v).split(";")) {
          if (!sql.isBlank()) {
            s.execute(sql);
          }
        }
        s.execute("PRAGMA user_version=" + (v + 1));
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }
}
