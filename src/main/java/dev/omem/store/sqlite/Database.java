package dev.omem.store.sqlite;

import dev.omem.config.HomePermissions;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import dev.omem.store.jdbc.JdbcDatabase;
import dev.omem.store.jdbc.SqlDialect;
import dev.omem.store.jdbc.SqlWork;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The SQLite file {@code omem.db} in the data directory: one writer connection, a few reader
 * connections (WAL lets them read while the writer writes), and the schema migrations.
 */
public final class Database implements JdbcDatabase, AutoCloseable {
  /** Readers beyond this wait; two cores gain nothing from more. */
  private static final int READERS = 4;

  /** How long SQLite retries a busy lock before giving up (ms); covers a long reindex read. */
  private static final int BUSY_TIMEOUT_MS = 10_000;

  private final Path file;
  private final Connection writer;
  private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);

  /** Whether the writer is inside {@link #write}; only the thread holding its monitor reads it. */
  private boolean inTransaction;

  /** Makes commits durable, several at a time (group commit). */
  private final WalSync walSync;

  private Database(Path file, Connection writer) {
    this.file = file;
    this.writer = writer;
    this.walSync = new WalSync(file.resolveSibling(file.getFileName() + "-wal"));
  }

  /** Opens (creating if needed) {@code omem.db} in {@code dir} and migrates it to the latest. */
  public static Database open(Path dir) {
    try {
      HomePermissions.createPrivateDir(dir);
      Path file = dir.resolve("omem.db");
      // SQLite gives the WAL and shared-memory files the database file's mode, so a 0600
      // database keeps them private too; files an older omem left readable are tightened here.
      HomePermissions.createPrivateFile(file);
      HomePermissions.tighten(dir);
      Connection w = connect(file);
      try (Statement s = w.createStatement()) {
        // A new store reclaims free pages incrementally (the upkeep pass); an older one is
        // converted by that pass's one-time VACUUM (FreePages). Only possible before any table.
        if (FreePages.isEmpty(w)) {
          s.execute("PRAGMA auto_vacuum=INCREMENTAL");
        }
        s.execute("PRAGMA journal_mode=WAL");
        // NORMAL: a commit goes to the write-ahead log without an fsync; each write is made
        // durable before its call returns by WalSync's fsync of the log, shared by the writers
        // waiting, so a store acknowledged to an agent still survives a power cut.
        s.execute("PRAGMA synchronous=NORMAL");
        s.execute("PRAGMA foreign_keys=ON");
      }
      Database db = new Database(file, w);
      Migrations.apply(w);
      PlannerStatistics.refresh(w);
      for (int i = 0; i < READERS; i++) {
        db.readers.add(connect(file));
      }
      return db;
    } catch (SQLException | java.io.IOException e) {
      throw new OmemException(
          ErrorCode.INTERNAL, "cannot open the store in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static Connection connect(Path file) throws SQLException {
    dev.omem.config.NativeLibraries.beforeSqlite();
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MS);
    }
    return c;
  }

  /** SQLite's fragments: its one writer serialises every write, so nothing needs a lock. */
  private static final SqlDialect DIALECT =
      new SqlDialect(
          "rowid",
          "",
          "json_extract(%s, '$.%s')",
          "date(%s/1000, 'unixepoch')",
          null,
          "EXISTS (SELECT 1 FROM json_each(memories.tags) WHERE json_each.value=?)",
          "rowid");

  @Override
  public SqlDialect dialect() {
    return DIALECT;
  }

  public Path file() {
    return file;
  }

  /**
   * Runs {@code work} in one write transaction; commits on return, rolls back on failure. Called
   * again from inside {@code work} on the same thread, it joins the transaction under way: that is
   * how another repository's writes become part of a {@code MemoryRepository.apply}.
   */
  @Override
  public <T> T write(SqlWork<T> work) {
    T out = committed(work);
    if (!walSync.isDeferred()) {
      walSync.sync();
    }
    return out;
  }

  /** {@link #write}'s transaction, committed but maybe not yet durable. */
  private <T> T committed(SqlWork<T> work) {
    synchronized (writer) {
      if (inTransaction) {
        try {
          return work.run(writer);
        } catch (SQLException e) {
          throw new OmemException(ErrorCode.INTERNAL, "store write failed: " + e.getMessage(), e);
        }
      }
      try {
        writer.setAutoCommit(false);
        inTransaction = true;
        try {
          T out = work.run(writer);
          writer.commit();
          walSync.committed();
          return out;
        } catch (SQLException | RuntimeException e) {
          writer.rollback();
          throw e;
        } finally {
          inTransaction = false;
          writer.setAutoCommit(true);
        }
      } catch (SQLException e) {
        throw new OmemException(ErrorCode.INTERNAL, "store write failed: " + e.getMessage(), e);
      }
    }
  }

  /**
   * Runs {@code work} on the writer outside any transaction, with no other write in between (for
   * VACUUM and checkpoints, which refuse to run inside one).
   */
  public <T> T exclusive(SqlWork<T> work) {
    T out;
    synchronized (writer) {
      try {
        out = work.run(writer);
        walSync.committed();
      } catch (SQLException e) {
        throw new OmemException(ErrorCode.INTERNAL, "store upkeep failed: " + e.getMessage(), e);
      }
    }
    walSync.sync();
    return out;
  }

  /**
   * Runs {@code work}; the commits it makes on this thread are made durable when it returns, with
   * one fsync shared with other threads' commits: a caller that writes under a lock of its own
   * releases it inside {@code work}, before that fsync.
   */
  @Override
  public <T> T durableAfter(java.util.function.Supplier<T> work) {
    return walSync.deferred(work);
  }

  /** Returns once every commit made so far, by any thread, is durable. */
  @Override
  public void durableNow() {
    walSync.syncAll();
  }

  /** The last commit the calling thread made and the highest one made durable (tests). */
  long[] commitsOfThisThreadAndDurable() {
    return new long[] {walSync.lastCommitOfThisThread(), walSync.durableThrough()};
  }

  /** Refreshes the query planner's statistics where they are stale ({@link PlannerStatistics}). */
  public void refreshStatistics() {
    exclusive(
        c -> {
          PlannerStatistics.refresh(c);
          return null;
        });
  }

  /** Runs {@code work} on a reader connection; sees every committed write. */
  @Override
  public <T> T read(SqlWork<T> work) {
    Connection c;
    try {
      c = readers.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OmemException(ErrorCode.INTERNAL, "interrupted while waiting for the store");
    }
    try {
      return work.run(c);
    } catch (SQLException e) {
      throw new OmemException(ErrorCode.INTERNAL, "store read failed: " + e.getMessage(), e);
    } finally {
      readers.add(c);
    }
  }

  public int schemaVersion() {
    return read(Migrations::currentVersion);
  }

  @Override
  public void close() {
    synchronized (writer) {
      for (Connection c : readers) {
        closeQuietly(c);
      }
      readers.clear();
      walSync.close();
      closeQuietly(writer);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing: nothing left to protect
    }
  }
}
