package dev.omem.store.jdbc;

import java.nio.file.Path;

/**
 * Writes a store's tables, read in one snapshot, as a backup file: the one backup format, a SQLite
 * store file, whatever the backend read from (a PostgreSQL store's backups are written by the
 * SQLite side, which the two backends reach only through this, wired by the service).
 */
@FunctionalInterface
public interface BackupWriter {
  /**
   * Writes {@code source} to {@code target}, which must not exist; it is either whole or absent
   * afterwards. Returns its size in bytes.
   */
  long write(TableSource source, Path target);
}
