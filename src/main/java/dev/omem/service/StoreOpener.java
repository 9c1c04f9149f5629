package dev.omem.service;

import dev.omem.config.OmemConfig;
import dev.omem.store.Coordination;
import dev.omem.store.MigratedTable;
import dev.omem.store.Storage;
import dev.omem.store.postgres.PostgresCoordination;
import dev.omem.store.postgres.PostgresDatabase;
import dev.omem.store.postgres.PostgresImport;
import dev.omem.store.postgres.PostgresStorage;
import dev.omem.store.postgres.PostgresUrl;
import dev.omem.store.sqlite.SqliteSnapshot;
import dev.omem.store.sqlite.SqliteStorage;
import dev.omem.store.sqlite.TablesBackup;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The one choice of backend: the SQLite file in the data directory, or, for a team server given a
 * database ({@code omem serve --database} or {@code OMEM_DATABASE_URL}, {@code postgresql://…};
 * {@link OmemConfig#database()}), a PostgreSQL database shared by every node of a cluster, each
 * keeping its own index in its own directory. {@code OMEM_LISTEN=off} makes the nodes poll the
 * change log without LISTEN/NOTIFY.
 */
final class StoreOpener {
  /** A store and its cluster coordination, opened together. */
  record Opened(Storage storage, Coordination coordination) {}

  private StoreOpener() {}

  static Opened open(OmemConfig config, Map<String, String> env) {
    String url = config.database();
    if (url == null || url.isBlank()) {
      return new Opened(SqliteStorage.open(config.home()), Coordination.local());
    }
    PostgresDatabase db = PostgresDatabase.open(url.trim());
    try {
      boolean listen = !"off".equalsIgnoreCase(String.valueOf(env.get("OMEM_LISTEN")).trim());
      return new Opened(
          PostgresStorage.of(db, new TablesBackup()), PostgresCoordination.open(db, listen));
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /**
   * The SQLite store in {@code home}, read only, copied into the PostgreSQL database at {@code url}
   * ({@link StoreMigration}).
   */
  static List<MigratedTable> migrate(Path home, String url, boolean replace) {
    PostgresUrl.parse(url.trim()); // a URL that is not one fails before the source is opened
    try (SqliteSnapshot source = SqliteSnapshot.open(home)) {
      return PostgresImport.copy(source, url.trim(), replace);
    }
  }

  /**
   * The PostgreSQL store at {@code url} alone, without a node's coordination: {@code omem backup
   * --database}. Its backups are the SQLite backup file ({@link TablesBackup}).
   */
  static Storage openDatabase(String url) {
    PostgresUrl.parse(url.trim());
    return PostgresStorage.of(PostgresDatabase.open(url.trim()), new TablesBackup());
  }

  /**
   * {@code omem restore --database}: the backup file {@code staging}/omem.db (already checked) is
   * upgraded to this omem's schema, then replaces what the database at {@code url} holds, in one
   * transaction that tells the running nodes to re-read every memory ({@link
   * PostgresImport#restore}). Returns the tables' counts.
   */
  static List<MigratedTable> restoreInto(String url, Path staging) {
    SqliteStorage.open(staging).close(); // migrates an older backup as opening a home would
    try (SqliteSnapshot source = SqliteSnapshot.open(staging)) {
      return PostgresImport.restore(source, url.trim());
    }
  }

  /** {@code url} without its password, for messages. */
  static String redact(String url) {
    return PostgresUrl.redact(url);
  }
}
