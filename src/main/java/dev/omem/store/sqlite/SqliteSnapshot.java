package dev.omem.store.sqlite;

import dev.omem.domain.OmemException;
import dev.omem.store.jdbc.TableSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQLite store of a home opened read only, in one read transaction: every table is read as of
 * the same moment (WAL keeps that snapshot while another process writes), and nothing in the file
 * can change, not even the schema version ({@code omem migrate}'s source).
 */
public final class SqliteSnapshot implements TableSource {
  private final Path file;
  private final Connection c;
  private final List<String> tables;

  private SqliteSnapshot(Path file, Connection c, List<String> tables) {
    this.file = file;
    this.c = c;
    this.tables = tables;
  }

  /**
   * Opens {@code <home>/omem.db} read only. Fails, touching nothing, when there is no store there
   * or its schema is not this omem's (an older store is upgraded by opening it once with this
   * omem).
   */
  public static SqliteSnapshot open(Path home) {
    Path file = home.resolve("omem.db");
    if (!Files.isRegularFile(file)) {
      throw OmemException.invalid("no omem store in " + home + " (no omem.db there)");
    }
    Connection c = null;
    try {
      dev.omem.config.NativeLibraries.beforeSqlite();
      org.sqlite.SQLiteConfig cfg = new org.sqlite.SQLiteConfig();
      cfg.setReadOnly(true); // SQLITE_OPEN_READONLY: the file cannot be written through it
      cfg.setBusyTimeout(10_000);
      c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), cfg.toProperties());
      int version = Migrations.currentVersion(c);
      if (version != Migrations.latestVersion()) {
        throw OmemException.invalid(
            "the store in "
                + home
                + " has schema version "
                + version
                + ", this omem writes "
                + Migrations.latestVersion()
                + (version < Migrations.latestVersion()
                    ? ": open it once with this omem (omem stats --home " + home + ") first"
                    : ": use the omem that wrote it"));
      }
      c.setAutoCommit(false); // one read transaction: a snapshot of every table together
      List<String> tables = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT name FROM sqlite_master WHERE type = 'table'"
                      + " AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      return new SqliteSnapshot(file, c, List.copyOf(tables));
    } catch (SQLException e) {
      closeQuietly(c);
      throw OmemException.invalid("cannot read the store in " + home + ": " + e.getMessage());
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  @Override
  public Connection connection() {
    return c;
  }

  @Override
  public List<String> tables() {
    return tables;
  }

  @Override
  public String orderColumn() {
    return "rowid";
  }

  /**
   * The change log's last seq as SQLite's AUTOINCREMENT counter has it: higher than any row left
   * when the log was pruned.
   */
  @Override
  public long lastChangeSeq() throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0),"
                    + " COALESCE((SELECT MAX(seq) FROM changes), 0))")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  @Override
  public String describe() {
    return file.toString();
  }

  @Override
  public void close() {
    closeQuietly(c);
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
      c.close();
    } catch (SQLException e) {
      // read only: nothing to lose
    }
  }
}
