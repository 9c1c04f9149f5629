package dev.omem.store.postgres;

import dev.omem.store.jdbc.JdbcMemoryRepository;

/**
 * Memory rows in PostgreSQL: the shared repository with PostgreSQL's change log. Each instance is
 * one node of a cluster: a random name marks the change-log entries it writes.
 */
public final class PostgresMemoryRepository extends JdbcMemoryRepository {
  public PostgresMemoryRepository(PostgresDatabase db) {
    this(db, java.util.UUID.randomUUID().toString());
  }

  private PostgresMemoryRepository(PostgresDatabase db, String node) {
    super(
        db,
        PostgresChangeLog.appender(node),
        PostgresChangeLog.LAST_SEQ,
        PostgresChangeLog.CHANGES_AFTER,
        node);
  }
}
