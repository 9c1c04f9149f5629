package dev.omem.store.sqlite;

import dev.omem.store.jdbc.JdbcMemoryRepository;

/** Memory rows in SQLite: the shared repository with SQLite's change log. */
public final class SqliteMemoryRepository extends JdbcMemoryRepository {
  public SqliteMemoryRepository(Database db) {
    super(
        db, SqliteChangeLog::append, SqliteChangeLog.LAST_SEQ, SqliteChangeLog.CHANGES_AFTER, null);
  }
}
