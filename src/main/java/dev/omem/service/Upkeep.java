package dev.omem.service;

import dev.omem.config.OmemConfig;
import dev.omem.domain.OmemException;
import dev.omem.store.Backups;
import dev.omem.store.MetaStore;
import dev.omem.store.StoreUpkeep;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Keeps a long-lived store bounded and recoverable: a daily backup (7 kept), deleted memories
 * purged after their retention, free pages returned. On a PostgreSQL store the team server runs it
 * once per cluster (under the cluster's lock, {@code ClusterPasses}), and the backup is the same
 * SQLite file, written into the home of the node that ran the pass. The daemon and {@code omem
 * serve} run it next to the hourly decay pass; {@code omem backup} takes a backup on demand.
 */
public final class Upkeep {
  private final StoreUpkeep store;
  private final Backups backups;
  private final Duration retention;
  private final Clock clock;
  private final Runnable afterPurge;
  private final MetaStore cluster;

  /** Meta key of a shared store: when any node's pass last took the daily backup. */
  static final String BACKUP_TAKEN_AT = "backup_taken_at";

  /**
   * @param afterPurge what makes the index follow the purge's change-log entries (a catch-up)
   */
  public Upkeep(
      StoreUpkeep store, Path home, Duration retention, Clock clock, Runnable afterPurge) {
    this(store, home, retention, clock, afterPurge, null);
  }

  /**
   * @param cluster the meta of a store several nodes share, or null: its daily backup is due when
   *     the newest any node took is a day old (each node writes backups into its own home, and the
   *     pass runs on whichever node holds the cluster's lock)
   */
  Upkeep(
      StoreUpkeep store,
      Path home,
      Duration retention,
      Clock clock,
      Runnable afterPurge,
      MetaStore cluster) {
    this.store = store;
    this.backups = new Backups(home);
    this.retention = retention;
    this.clock = clock;
    this.afterPurge = afterPurge;
    this.cluster = cluster;
  }

  /** The retention of deleted memories: {@code OMEM_RETENTION_DAYS}, config.json, else 30 days. */
  public static Duration retention(Path home, Map<String, String> env) {
    Optional<String> days = OmemConfig.setting(home, env, "OMEM_RETENTION_DAYS", "retention_days");
    if (days.isEmpty()) {
      return Limits.DELETED_RETENTION;
    }
    try {
      int d = Integer.parseInt(days.get());
      if (d >= 1) {
        return Duration.ofDays(d);
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw OmemException.invalid(
        "OMEM_RETENTION_DAYS / retention_days must be a whole number of days, at least 1, got '"
            + days.get()
            + "'");
  }

  /**
   * One pass: a backup when the newest is a day old, the purge, free pages returned, then the
   * planner's statistics refreshed.
   */
  public synchronized UpkeepResult run() {
    Instant now = now();
    BackupInfo backup = null;
    int deleted = 0;
    Optional<Instant> newest = store.takesBackups() ? newestBackup() : Optional.empty();
    if (store.takesBackups()
        && (newest.isEmpty() || !newest.get().plus(Limits.BACKUP_INTERVAL).isAfter(now))) {
      backup = backup(null);
      deleted = backups.rotate(Limits.BACKUPS_KEPT).size();
      if (cluster != null) {
        cluster.putMeta(BACKUP_TAKEN_AT, now.toString());
      }
    }
    long purged = store.purgeDeletedBefore(now.minus(retention));
    if (purged > 0) {
      afterPurge.run();
    }
    StoreUpkeep.Reclaimed r = store.reclaimFreePages();
    // After the purge and the vacuum: the tables' sizes the planner reads are the ones now.
    store.refreshStatistics();
    return new UpkeepResult(backup, deleted, purged, r.bytesBefore(), r.bytesAfter());
  }

  /**
   * A snapshot now, for the store's owner ({@code caller} without a tenant): a tenant of omem serve
   * may not copy the whole store, which holds every tenant's memories.
   */
  BackupInfo backup(Caller caller, String file) {
    if (caller.tenantId() != null) {
      throw OmemException.forbidden("backups are taken by the server's owner (omem backup)");
    }
    return backup(file);
  }

  /**
   * A snapshot now: into {@code file} (an absolute path that must not exist), or, when null, into
   * {@code <home>/backups/} (the daemon's rotation counts it).
   */
  public BackupInfo backup(String file) {
    Instant now = now();
    Path target;
    if (file == null || file.isBlank()) {
      backups.ensureDir();
      target = backups.nameFor(now);
    } else {
      target = Path.of(file);
      if (!target.isAbsolute()) {
        throw OmemException.invalid("the backup file must be an absolute path, got '" + file + "'");
      }
    }
    long size = store.backup(target);
    return new BackupInfo(target.toAbsolutePath().toString(), size, now);
  }

  private Optional<Instant> newestBackup() {
    Optional<Instant> here = backups.newest();
    Optional<Instant> anyNode =
        cluster == null ? Optional.empty() : cluster.meta(BACKUP_TAKEN_AT).map(Instant::parse);
    return Stream.of(here, anyNode).flatMap(Optional::stream).max(Instant::compareTo);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
