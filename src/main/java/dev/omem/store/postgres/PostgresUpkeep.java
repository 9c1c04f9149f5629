package dev.omem.store.postgres;

import dev.omem.domain.OmemException;
import dev.omem.store.StoreUpkeep;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;

/**
 * {@link StoreUpkeep} of a PostgreSQL store. The purge works as on SQLite. A backup is refused with
 * the way to take one: a consistent copy of a live PostgreSQL database is the database's own job
 * ({@code pg_dump}, or the provider's snapshots and point-in-time recovery), which also covers what
 * a node cannot see (other schemas, roles). Free space is returned by {@code VACUUM}, which
 * autovacuum also runs by itself.
 */
public final class PostgresUpkeep implements StoreUpkeep {
  /** The tables a purge shrinks, vacuumed when asked to return free space. */
  private static final String[] VACUUMED = {"memories", "memory_history", "changes"};

  private final PostgresDatabase db;

  public PostgresUpkeep(PostgresDatabase db) {
    this.db = db;
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
    return false;
  }

  @Override
  public long backup(Path target) {
    throw OmemException.invalid(
        "omem does not back up a PostgreSQL store itself: use pg_dump (e.g. pg_dump -Fc -f"
            + " omem.dump '"
            + location()
            + "') or your provider's snapshots, and restore with pg_restore");
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
