package dev.omem.store.postgres;

import dev.omem.store.Storage;
import dev.omem.store.jdbc.BackupWriter;
import dev.omem.store.jdbc.JdbcHistoryRepository;
import dev.omem.store.jdbc.JdbcHookStateRepository;
import dev.omem.store.jdbc.JdbcIdempotencyRepository;
import dev.omem.store.jdbc.JdbcImportRepository;
import dev.omem.store.jdbc.JdbcIngestTaskRepository;
import dev.omem.store.jdbc.JdbcKeyRepository;

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

  /** As {@link #of(PostgresDatabase, BackupWriter)}, refusing backups. */
  public static Storage of(PostgresDatabase db) {
    return of(db, null);
  }

  /**
   * The repositories over an open database; closing the {@link Storage} closes {@code db}. Backups
   * are written by {@code backups} (null: refused).
   */
  public static Storage of(PostgresDatabase db, BackupWriter backups) {
    return new Storage(
        new PostgresMemoryRepository(db),
        new JdbcHistoryRepository(db),
        new dev.omem.store.jdbc.JdbcSpaceRepository(db),
        new dev.omem.store.jdbc.JdbcInvitationRepository(db),
        new dev.omem.store.jdbc.JdbcTenantRepository(db),
        new JdbcKeyRepository(db),
        new JdbcIngestTaskRepository(db),
        new JdbcImportRepository(db),
        new JdbcHookStateRepository(db),
        new JdbcIdempotencyRepository(db),
        new PostgresUpkeep(db, backups));
  }
}
