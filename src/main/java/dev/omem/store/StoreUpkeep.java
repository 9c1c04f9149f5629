package dev.omem.store;

import java.nio.file.Path;
import java.time.Instant;

/**
 * The store as a whole: where it is, its schema, and the upkeep that keeps it bounded and
 * recoverable (snapshots, the retention purge, free space returned).
 */
public interface StoreUpkeep extends AutoCloseable {
  /** The store's size before and after free space was returned, in bytes. */
  record Reclaimed(long bytesBefore, long bytesAfter) {}

  /** Where the store is, as a person would look for it (a file path, a database URL). */
  String location();

  int schemaVersion();

  /**
   * Writes a consistent snapshot to {@code target}, which must not exist; it is either whole or
   * absent afterwards. Returns its size in bytes.
   */
  long backup(Path target);

  /**
   * Purges every memory deleted before {@code deletedBefore}: rows, history, import links, and a
   * change-log entry each. Returns how many.
   */
  long purgeDeletedBefore(Instant deletedBefore);

  /**
   * Whether {@link #backup} takes snapshots; a store opened without a way to write them (a
   * PostgreSQL store without its {@code BackupWriter}) refuses them, and the upkeep skips them.
   */
  default boolean takesBackups() {
    return true;
  }

  /** Returns free space to the file system. */
  Reclaimed reclaimFreePages();

  /**
   * Refreshes the query planner's statistics where the database keeps none by itself (SQLite's
   * {@code PRAGMA optimize}); PostgreSQL's autovacuum analyses on its own, so by default nothing.
   */
  default void refreshStatistics() {}

  /**
   * Registers the store's own meters with {@code registry} for {@code /metrics}: a connection
   * pool's (PostgreSQL: HikariCP's gauges and timers). A store without a pool (SQLite) has none.
   */
  default void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {}

  /** Closes the store; nothing opened from it may be used afterwards. */
  @Override
  void close();
}
