package dev.omem.store.sqlite;

import dev.omem.store.Storage;
import dev.omem.store.jdbc.JdbcHistoryRepository;
import dev.omem.store.jdbc.JdbcHookStateRepository;
import dev.omem.store.jdbc.JdbcIdempotencyRepository;
import dev.omem.store.jdbc.JdbcImportRepository;
import dev.omem.store.jdbc.JdbcIngestTaskRepository;
import dev.omem.store.jdbc.JdbcKeyRepository;
import java.nio.file.Path;

/** Makes every SQLite repository of one {@code omem.db}: the one place they are constructed. */
public final class SqliteStorage {
  private SqliteStorage() {}

  /** Opens (creating and migrating if needed) {@code omem.db} in {@code home}. */
  public static Storage open(Path home) {
    return of(Database.open(home));
  }

  /** The repositories over an open database; closing the {@link Storage} closes {@code db}. */
  public static Storage of(Database db) {
    return new Storage(
        new SqliteMemoryRepository(db),
        new JdbcHistoryRepository(db),
        new dev.omem.store.jdbc.JdbcSpaceRepository(db),
        new dev.omem.store.jdbc.JdbcInvitationRepository(db),
        new dev.omem.store.jdbc.JdbcTenantRepository(db),
        new JdbcKeyRepository(db),
        new JdbcIngestTaskRepository(db),
        new JdbcImportRepository(db),
        new JdbcHookStateRepository(db),
        new JdbcIdempotencyRepository(db),
        new SqliteUpkeep(db));
  }
}
