package dev.omem.store.sqlite;

import dev.omem.store.Storage;
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
        new SqliteHistoryRepository(db),
        new dev.omem.store.jdbc.JdbcSpaceRepository(db),
        new dev.omem.store.jdbc.JdbcInvitationRepository(db),
        new dev.omem.store.jdbc.JdbcTenantRepository(db),
        new SqliteKeyRepository(db),
        new SqliteIngestTaskRepository(db),
        new SqliteImportRepository(db),
        new SqliteHookStateRepository(db),
        new SqliteIdempotencyRepository(db),
        new SqliteUpkeep(db));
  }
}
