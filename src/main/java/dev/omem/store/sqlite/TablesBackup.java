package dev.omem.store.sqlite;

import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import dev.omem.store.jdbc.BackupWriter;
import dev.omem.store.jdbc.TableSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Another backend's tables written as a backup file ({@link BackupWriter}): a fresh SQLite store of
 * this omem's schema in a private scratch directory next to the target, every table copied by
 * column name in one transaction with its count checked, then snapshotted to the target by {@link
 * StoreBackup#snapshot} (whole or absent, 0600) and checked with {@link StoreBackup#verify}, as a
 * SQLite store's own backup is. The file is what {@code omem restore} takes into either backend.
 */
public final class TablesBackup implements BackupWriter {
  /** A source's columns the SQLite schema has no use for: PostgreSQL's copy of rowid order. */
  private static final Set<String> DROPPED = Set.of("stored_order");

  /** The meta keys that name a home, not the store: each home keeps its own. */
  private static final String HOME_KEYS = "key NOT IN ('home_id', 'home_path')";

  /** Rows per batch, as {@code omem migrate} sends them. */
  private static final int BATCH = 500;

  @Override
  public long write(TableSource source, Path target) {
    Path abs = target.toAbsolutePath();
    if (Files.exists(abs)) {
      throw OmemException.invalid(abs + " already exists; name a new file");
    }
    Path parent = abs.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw OmemException.invalid("no directory " + parent + " to write the backup in");
    }
    Path scratch;
    try {
      scratch = Files.createTempDirectory(parent, "." + abs.getFileName() + ".building");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the backup " + abs, e);
    }
    try {
      try (Database db = Database.open(scratch)) {
        db.write(
            c -> {
              copy(source, c);
              return null;
            });
        long size = StoreBackup.snapshot(db, abs);
        StoreBackup.verify(abs);
        return size;
      }
    } catch (RuntimeException e) {
      try {
        Files.deleteIfExists(abs);
      } catch (IOException ignored) {
        // the failure below is what the caller needs to know
      }
      throw e;
    } finally {
      deleteTree(scratch);
    }
  }

  private static void copy(TableSource source, Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA defer_foreign_keys = ON"); // tables arrive in name order
    }
    for (String table : source.tables()) {
      List<String> to = targetColumns(c, table);
      if (to.isEmpty()) {
        throw mismatch(source, "this omem's SQLite schema has no table " + table);
      }
      List<String> columns = new ArrayList<>();
      for (String col : source.columns(table)) {
        if (to.contains(col)) {
          columns.add(col);
        } else if (!DROPPED.contains(col)) {
          throw mismatch(source, "this omem's table " + table + " has no column " + col);
        }
      }
      try (Statement s = c.createStatement()) {
        s.execute("DELETE FROM " + table); // a fresh store's seeded rows give way to the source's
      }
      long copied = copyTable(source, c, table, columns);
      long counted = count(c, table);
      if (copied != counted) {
        throw new OmemException(
            ErrorCode.INTERNAL,
            "table " + table + ": read " + copied + " rows but the backup holds " + counted);
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT OR REPLACE INTO sqlite_sequence (name, seq) VALUES ('changes', MAX(?,"
                + " COALESCE((SELECT MAX(seq) FROM changes), 0)))")) {
      // The log's counter, which pruning never lowers: a restored store continues after it.
      try (Statement s = c.createStatement()) {
        s.execute("DELETE FROM sqlite_sequence WHERE name = 'changes'");
      }
      ps.setLong(1, source.lastChangeSeq());
      ps.executeUpdate();
    }
  }

  private static long copyTable(TableSource source, Connection c, String table, List<String> cols)
      throws SQLException {
    String names = String.join(", ", cols);
    String marks = String.join(", ", cols.stream().map(x -> "?").toList());
    String read =
        "SELECT "
            + names
            + " FROM "
            + table
            + (table.equals("meta") ? " WHERE " + HOME_KEYS : "")
            + " ORDER BY "
            + source.orderBy(table);
    long n = 0;
    try (Statement s = streamed(source.connection());
        ResultSet rs = s.executeQuery(read);
        PreparedStatement ins =
            c.prepareStatement(
                "INSERT INTO " + table + " (" + names + ") VALUES (" + marks + ")")) {
      ResultSetMetaData md = rs.getMetaData();
      int pending = 0;
      while (rs.next()) {
        for (int i = 1; i <= cols.size(); i++) {
          bind(ins, i, rs, i, md.getColumnType(i));
        }
        ins.addBatch();
        n++;
        if (++pending == BATCH) {
          ins.executeBatch();
          pending = 0;
        }
      }
      if (pending > 0) {
        ins.executeBatch();
      }
    }
    return n;
  }

  /**
   * A statement that reads rows a batch at a time: PostgreSQL's driver otherwise holds a whole
   * table in memory (at 100k memories, hundreds of MB of vectors); it streams inside a transaction,
   * which the snapshot is.
   */
  private static Statement streamed(Connection c) throws SQLException {
    Statement s = c.createStatement();
    s.setFetchSize(BATCH);
    return s;
  }

  /** Binds source column {@code from} as SQLite stores that kind of value. */
  private static void bind(PreparedStatement ps, int at, ResultSet rs, int from, int type)
      throws SQLException {
    if (rs.getObject(from) == null) {
      ps.setNull(at, Types.NULL);
      return;
    }
    switch (type) {
      case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT ->
          ps.setLong(at, rs.getLong(from));
      case Types.DOUBLE, Types.REAL, Types.FLOAT, Types.NUMERIC, Types.DECIMAL ->
          ps.setDouble(at, rs.getDouble(from));
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB ->
          ps.setBytes(at, rs.getBytes(from));
      case Types.BOOLEAN, Types.BIT -> ps.setInt(at, rs.getBoolean(from) ? 1 : 0);
      default -> ps.setString(at, rs.getString(from));
    }
  }

  private static List<String> targetColumns(Connection c, String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT name FROM pragma_table_info(?)")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1).toLowerCase(Locale.ROOT));
        }
      }
    }
    return out;
  }

  private static long count(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static OmemException mismatch(TableSource source, String what) {
    return OmemException.invalid(
        "cannot back up "
            + source.describe()
            + ": "
            + what
            + " (the store's schema is newer than this omem: back it up with the omem that"
            + " serves it)");
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException ignored) {
      // a stray scratch directory is hidden and holds nothing another backup reads
    }
  }
}
