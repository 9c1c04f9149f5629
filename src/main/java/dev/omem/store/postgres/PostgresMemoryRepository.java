package dev.omem.store.postgres;

import dev.omem.store.jdbc.JdbcMemoryRepository;

/** Memory rows in PostgreSQL: the shared repository with PostgreSQL's change log. */
public final class PostgresMemoryRepository extends JdbcMemoryRepository {
  public PostgresMemoryRepository(PostgresDatabase db) {
    super(db, PostgresChangeLog.APPEND, PostgresChangeLog.LAST_SEQ);
  }
}
