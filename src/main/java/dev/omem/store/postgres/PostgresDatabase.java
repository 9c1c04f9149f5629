package dev.omem.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import dev.omem.store.jdbc.JdbcDatabase;
import dev.omem.store.jdbc.SqlDialect;
import dev.omem.store.jdbc.SqlWork;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * One PostgreSQL database through a HikariCP pool. A write runs in one transaction on one pooled
 * connection, bound to the calling thread so that work called from inside it (another repository's
 * write, a read) joins it, as {@code Database.write} does for SQLite. Several threads and several
 * nodes write at once; what must be serialised is serialised by the database (the change-log
 * counter, unique indexes), not by this class.
 */
public final class PostgresDatabase implements JdbcDatabase, AutoCloseable {
  /**
   * Connections per node. A node's writes are serialised by the service's write lock and the change
   * log's counter, so more connections serve only concurrent reads; 10 is HikariCP's default and
   * keeps three nodes well inside PostgreSQL's default max_connections of 100.
   */
  static final int POOL_SIZE = 10;

  /** Connections kept open while idle. */
  static final int MIN_IDLE = 2;

  /** How long a request waits for a free connection before failing (ms). */
  private static final long CONNECTION_TIMEOUT_MS = 10_000;

  /**
   * SQLSTATEs of a NUL in text (22021: invalid byte sequence for UTF8) or in a JSON value cast to
   * jsonb (22P05: untranslatable character).
   */
  private static final java.util.Set<String> NUL_REFUSED = java.util.Set.of("22021", "22P05");

  private final HikariDataSource pool;
  private final PostgresUrl url;
  private final ThreadLocal<Connection> transaction = new ThreadLocal<>();

  private PostgresDatabase(HikariDataSource pool, PostgresUrl url) {
    this.pool = pool;
    this.url = url;
  }

  /**
   * Connects to {@code databaseUrl} and migrates its schema to the latest version (under an
   * advisory lock, so nodes starting together migrate once).
   */
  public static PostgresDatabase open(String databaseUrl) {
    PostgresUrl url = PostgresUrl.parse(databaseUrl);
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl(url.jdbcUrl());
    if (url.user() != null) {
      cfg.setUsername(url.user());
    }
    if (url.password() != null) {
      cfg.setPassword(url.password());
    }
    cfg.setMaximumPoolSize(POOL_SIZE);
    // Connections are opened as requests need them: a node that idles holds two, not ten.
    cfg.setMinimumIdle(MIN_IDLE);
    cfg.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
    cfg.setPoolName("omem-postgres");
    cfg.addDataSourceProperty("ApplicationName", "omem");
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(cfg);
    } catch (RuntimeException e) {
      throw new OmemException(
          ErrorCode.INTERNAL,
          "cannot connect to the database " + url.location() + ": " + rootMessage(e),
          e);
    }
    PostgresDatabase db = new PostgresDatabase(pool, url);
    try {
      db.outside(
          c -> {
            PostgresMigrations.apply(c);
            return null;
          });
      return db;
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /** The advisory lock space of key changes ("omem" in ASCII; two-int form: space, hash). */
  private static final int KEY_LOCKS = 0x6F6D656D;

  /** PostgreSQL's fragments: several nodes write at once, so claims and key changes lock. */
  private static final SqlDialect DIALECT =
      new SqlDialect(
          "stored_order",
          " FOR UPDATE SKIP LOCKED",
          "%s::jsonb ->> '%s'",
          "to_char(to_timestamp(%s / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
          "SELECT pg_advisory_xact_lock(" + KEY_LOCKS + ", hashtext(?))",
          "EXISTS (SELECT 1 FROM jsonb_array_elements_text(memories.tags::jsonb) AS t(v)"
              + " WHERE t.v=?)",
          "id");

  @Override
  public SqlDialect dialect() {
    return DIALECT;
  }

  public PostgresUrl url() {
    return url;
  }

  /**
   * Runs {@code work} in one transaction; commits on return, rolls back on failure. Called again
   * from inside {@code work} on the same thread, it joins the transaction under way.
   */
  @Override
  public <T> T write(SqlWork<T> work) {
    Connection joined = transaction.get();
    if (joined != null) {
      try {
        return work.run(joined);
      } catch (SQLException e) {
        throw failed("store write failed", e);
      }
    }
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      transaction.set(c);
      try {
        T out = work.run(c);
        c.commit();
        return out;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        transaction.remove();
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw failed("store write failed", e);
    }
  }

  /**
   * Runs {@code work} on a connection of its own: sees every committed write, and inside a write on
   * this thread, that write's own rows too.
   */
  @Override
  public <T> T read(SqlWork<T> work) {
    Connection joined = transaction.get();
    try {
      if (joined != null) {
        return work.run(joined);
      }
      try (Connection c = pool.getConnection()) {
        return work.run(c);
      }
    } catch (SQLException e) {
      throw failed("store read failed", e);
    }
  }

  /**
   * Runs {@code work} with each statement committed on its own; inside a write on this thread it
   * joins that write instead (a second connection would wait for the rows the write holds).
   */
  @Override
  public <T> T eachStatement(SqlWork<T> work) {
    return transaction.get() != null ? write(work) : outside(work);
  }

  /**
   * Runs {@code work} in one REPEATABLE READ, READ ONLY transaction: every query sees the database
   * as of its first one, while other connections keep writing (a backup's snapshot).
   */
  public <T> T snapshot(SqlWork<T> work) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setReadOnly(true);
      try {
        return work.run(c);
      } finally {
        c.rollback(); // HikariCP resets the isolation, read-only and autocommit it saw changed
      }
    } catch (SQLException e) {
      throw failed("store read failed", e);
    }
  }

  /** Runs {@code work} in autocommit mode on a connection of its own (VACUUM, migrations). */
  public <T> T outside(SqlWork<T> work) {
    try (Connection c = pool.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw failed("store upkeep failed", e);
    }
  }

  public int schemaVersion() {
    return read(PostgresMigrations::currentVersion);
  }

  /**
   * Reports the pool to {@code registry} through HikariCP's own Micrometer binding ({@code
   * hikaricp_connections_active}, {@code _idle}, {@code _pending}, {@code _max}, {@code
   * _timeout_total}, acquire and usage timers, tagged {@code pool="omem-postgres"}). HikariCP takes
   * one tracker per pool: a second registry (a second server on the same store, in tests) is
   * ignored.
   */
  public synchronized void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
    if (pool.getMetricsTrackerFactory() != null) {
      return;
    }
    pool.setMetricsTrackerFactory(
        new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(registry));
  }

  @Override
  public void close() {
    pool.close();
  }

  private static OmemException failed(String what, SQLException e) {
    if (NUL_REFUSED.contains(e.getSQLState())) {
      // SQLite keeps a NUL character; PostgreSQL's text and jsonb refuse it. The service drops
      // control characters from what it stores; one left in another field is the caller's error.
      return new OmemException(
          ErrorCode.VALIDATION,
          "text with a NUL character (\\u0000) cannot be stored; nothing was stored",
          e);
    }
    return new OmemException(ErrorCode.INTERNAL, what + ": " + e.getMessage(), e);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
