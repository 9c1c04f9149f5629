package dev.omem.store.postgres;

import dev.omem.domain.OmemException;
import dev.omem.store.StoreUpkeep;
import dev.omem.store.jdbc.BackupWriter;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;

/**
 * {@link StoreUpkeep} of a PostgreSQL store. The purge works as on SQLite. A backup reads every
 * table in one REPEATABLE READ snapshot and writes the same file a SQLite store's backup is (a
 * SQLite store of this omem's schema, through the {@link BackupWriter} the service wires in), so
 * one format restores into either backend and is checked the same way. It holds omem's data only:
 * roles, other schemas and point-in-time recovery stay {@code pg_dump}'s and the provider's job.
 * Free space is returned by {@code VACUUM}, which autovacuum also runs by itself.
 */
public final class PostgresUpkeep implements StoreUpkeep {
  /** The tables a purge shrinks, vacuumed when asked to return free space. */
  private static final String[] VACUUMED = {"memories", "memory_history", "changes"};

  private final PostgresDatabase db;
  private final BackupWriter writer;

  /** Without a {@code writer} (null) backups are refused, and the upkeep pass skips them. */
  public PostgresUpkeep(PostgresDatabase db, BackupWriter writer) {
    this.db = db;
    this.writer = writer;
  }

  @Override
  public String location() {
    return db.url().location();
  }

  @Override
  public int schemaVersion() {
    return db.schemaVersion();
  }

  @Override
  public void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
    db.bindMetrics(registry);
  }

  @Override
  public boolean takesBackups() {
    return writer != null;
  }

  @Override
  public long backup(Path target) {
    if (writer == null) {
      throw OmemException.invalid("this PostgreSQL store was opened without a backup writer");
    }
    return db.snapshot(c -> writer.write(PostgresTables.of(c, location()), target));
  }

  @Override
  public long purgeDeletedBefore(Instant deletedBefore) {
    return new PostgresMemoryPurge(db).purgeDeletedBefore(deletedBefore);
  }

  @Override
  public Reclaimed reclaimFreePages() {
    return db.outside(
        c -> {
          long before = size(c);
          try (Statement s = c.createStatement()) {
            for (String table : VACUUMED) {
              s.execute("VACUUM " + table);
            }
          }
          return new Reclaimed(before, size(c));
        });
  }

  private static long size(java.sql.Connection c) throws java.sql.SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_database_size(current_database())")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  @Override
  public void close() {
    db.close();
  }
}
