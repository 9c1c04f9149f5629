package dev.omem.service;

import dev.omem.domain.OmemException;
import dev.omem.store.DataDirLock;
import dev.omem.store.MigratedTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code omem migrate}: a home's SQLite store copied into a PostgreSQL database for {@code omem
 * serve --database}. The source is read in one read-only snapshot while this process holds the
 * home's lock (so no daemon or server writes to it meanwhile, and nothing written there is left
 * behind); the target gets everything in one transaction, its counts checked per table before it
 * commits, or nothing.
 */
public final class StoreMigration {
  private StoreMigration() {}

  /**
   * Copies the store in {@code home} into the database at {@code url}; {@code replace}: a target
   * that holds data has it deleted first (in the same transaction) instead of being refused.
   */
  public static List<MigratedTable> run(Path home, String url, boolean replace) {
    if (!Files.isRegularFile(home.resolve("omem.db"))) {
      throw OmemException.invalid("no omem store in " + home + " (no omem.db there)");
    }
    DataDirLock lock = DataDirLock.acquire(home);
    try {
      return StoreOpener.migrate(home, url, replace);
    } finally {
      lock.close();
    }
  }

  /** The database URL {@code url} with its password replaced by {@code ***}, for output. */
  public static String redact(String url) {
    return StoreOpener.redact(url);
  }
}
