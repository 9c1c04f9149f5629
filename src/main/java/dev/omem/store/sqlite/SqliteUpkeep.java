package dev.omem.store.sqlite;

import dev.omem.store.StoreUpkeep;
import java.nio.file.Path;
import java.time.Instant;

/**
 * {@link StoreUpkeep} of {@code omem.db}: VACUUM INTO snapshots, the purge, free pages, the
 * planner's statistics.
 */
public final class SqliteUpkeep implements StoreUpkeep {
  private final Database db;

  public SqliteUpkeep(Database db) {
    this.db = db;
  }

  @Override
  public String location() {
    return db.file().toString();
  }

  @Override
  public int schemaVersion() {
    return db.schemaVersion();
  }

  @Override
  public long backup(Path target) {
    return StoreBackup.snapshot(db, target);
  }

  @Override
  public long purgeDeletedBefore(Instant deletedBefore) {
    return new MemoryPurge(db).purgeDeletedBefore(deletedBefore);
  }

  @Override
  public Reclaimed reclaimFreePages() {
    FreePages.Reclaimed r = FreePages.reclaim(db);
    return new Reclaimed(r.bytesBefore(), r.bytesAfter());
  }

  @Override
  public void refreshStatistics() {
    db.refreshStatistics();
  }

  @Override
  public void close() {
    db.close();
  }
}
