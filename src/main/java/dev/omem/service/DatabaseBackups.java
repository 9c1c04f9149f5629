package dev.omem.service;

import dev.omem.config.OmemConfig;
import dev.omem.domain.OmemException;
import dev.omem.store.MigratedTable;
import dev.omem.store.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code omem backup --database} and {@code omem restore --database}: backups of a PostgreSQL store
 * taken and restored from any machine that reaches the database, while its nodes keep serving.
 *
 * <p>One format for both backends: a PostgreSQL backup is the file a SQLite backup is (a SQLite
 * store of this omem's schema, read from PostgreSQL in one REPEATABLE READ snapshot), so either
 * backend's backup restores into either, and is checked by the same {@link StoreRestore#prepare}. A
 * restore replaces the database's tables in one transaction and appends a change-log entry for
 * every memory before and after it, which every node's index follows like any other write (its
 * LISTEN wake-up, else its poll): no node keeps serving the replaced rows. No node embeds the
 * restored rows: the restore itself does, before it writes anything, as a local restore does
 * ({@link StoreRestore#embedAndScreen}: the backup's vectors and flags are not believed). What the
 * database held before is kept first as a backup in {@code <home>/backups/}.
 */
public final class DatabaseBackups {
  private static final String STAGING = "restoring-db";

  private DatabaseBackups() {}

  /** A backup of the store at {@code config.database()} into {@code file}, else the backups dir. */
  public static BackupInfo backup(OmemConfig config, String file, Clock clock) {
    try (Storage storage = StoreOpener.openDatabase(database(config))) {
      return new Upkeep(
              storage.upkeep(),
              config.home(),
              Upkeep.retention(config.home(), System.getenv()),
              clock,
              () -> {})
          .backup(file);
    }
  }

  /**
   * Replaces what the database at {@code config.database()} holds with the prepared backup, its
   * texts first embedded and screened here with {@code config.model()}. The database is then backed
   * up before it is written (a wrong URL or an unreachable server fails there, before anything in
   * it changes); the copy is consumed either way.
   */
  public static StoreRestore.Restored restore(
      OmemConfig config, StoreRestore.Prepared p, Clock clock) {
    Path staging = config.home().resolve(STAGING);
    try {
      deleteTree(staging);
      Files.createDirectories(staging);
      Files.move(p.copy(), staging.resolve("omem.db"), StandardCopyOption.REPLACE_EXISTING);
      // Before the database's own backup, so that it holds the writes made while this embeds.
      StoreRestore.embedAndScreen(staging, config, clock.instant());
      String previous = backup(config, null, clock).path();
      List<MigratedTable> tables = StoreOpener.restoreInto(database(config), staging);
      long memories =
          tables.stream()
              .filter(t -> t.table().equals("memories"))
              .mapToLong(MigratedTable::target)
              .sum();
      return new StoreRestore.Restored(memories, p.schemaVersion(), previous);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stage the backup in " + staging, e);
    } finally {
      try {
        Files.deleteIfExists(p.copy());
      } catch (IOException ignored) {
        // a stray copy is replaced by the next restore
      }
      deleteTree(staging);
    }
  }

  private static String database(OmemConfig config) {
    String url = config.database();
    if (url == null || url.isBlank()) {
      throw OmemException.invalid("no database given: --database postgresql://…");
    }
    return url;
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + dir, e);
    }
  }
}
