package dev.omem.store.postgres;

import dev.omem.store.Storage;

/**
 * Makes every PostgreSQL repository of one database: the one place they are constructed, as {@code
 * SqliteStorage} is for SQLite.
 */
public final class PostgresStorage {
  private PostgresStorage() {}

  /**
   * Connects to {@code url} ({@code postgresql://user:password@host:port/database}), creating and
   * migrating the schema if needed.
   */
  public static Storage open(String url) {
    return of(PostgresDatabase.open(url));
  }

  /** The repositories over an open database; closing the {@link Storage} closes {@code db}. */
  public static Storage of(PostgresDatabase db) {
    return new Storage(
        new PostgresMemoryRepository(db),
        new PostgresHistoryRepository(db),
        new dev.omem.store.jdbc.JdbcSpaceRepository(db),
        new dev.omem.store.jdbc.JdbcInvitationRepository(db),
        new dev.omem.store.jdbc.JdbcTenantRepository(db),
        new PostgresKeyRepository(db),
        new PostgresIngestTaskRepository(db),
        new PostgresImportRepository(db),
        new PostgresHookStateRepository(db),
        new PostgresIdempotencyRepository(db),
        new PostgresUpkeep(db));
  }
}
