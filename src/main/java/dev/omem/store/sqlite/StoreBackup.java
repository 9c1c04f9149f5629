package dev.omem.store.sqlite;

import dev.omem.domain.OmemException;
import dev.omem.store.Backups;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

/**
 * Consistent snapshots of a live store and the check that a file is one. A snapshot is {@code
 * VACUUM INTO} on a reader connection: one read transaction, so it holds exactly the writes
 * committed when it began, compacted, while the writer keeps writing (WAL).
 */
public final class StoreBackup {
  private static final byte[] SQLITE_HEADER =
      "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

  private StoreBackup() {}

  /**
   * Writes a snapshot of {@code db} to {@code target}, which must not exist: first to a 0600 file
   * next to it, fsynced, then renamed, so {@code target} is either whole or absent. Returns its
   * size in bytes.
   */
  public static long snapshot(Database db, Path target) {
    Path abs = target.toAbsolutePath();
    if (Files.exists(abs)) {
      throw OmemException.invalid(abs + " already exists; name a new file");
    }
    Path parent = abs.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw OmemException.invalid("no directory " + parent + " to write the backup in");
    }
    Path tmp = parent.resolve("." + abs.getFileName() + ".partial");
    try {
      Files.deleteIfExists(tmp);
      Files.createFile(tmp);
      Backups.Owner.only(tmp, "rw-------"); // SQLite writes into the empty file, keeping its mode
      db.read(
          c -> {
            try (PreparedStatement ps = c.prepareStatement("VACUUM INTO ?")) {
              ps.setString(1, tmp.toString());
              ps.execute();
            }
            return null;
          });
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
      return Files.size(abs);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the backup " + abs, e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // a stray partial file is harmless: never read, replaced by the next attempt
      }
    }
  }

  /**
   * Checks that {@code file} is an omem store this version can open: a SQLite file that passes
   * SQLite's quick check, with omem's tables, of a schema no newer than this build's. Returns its
   * schema version; throws {@link OmemException} (invalid input) with a one-line reason otherwise.
   * Opens the file read-only.
   */
  public static int verify(Path file) {
    if (!Files.isRegularFile(file)) {
      throw OmemException.invalid("no backup file " + file);
    }
    byte[] head = new byte[SQLITE_HEADER.length];
    try (InputStream in = Files.newInputStream(file)) {
      if (in.readNBytes(head, 0, head.length) < head.length
          || !Arrays.equals(head, SQLITE_HEADER)) {
        throw OmemException.invalid(file + " is not an omem backup (not a SQLite database)");
      }
    } catch (IOException e) {
      throw OmemException.invalid("cannot read " + file + ": " + e.getMessage());
    }
    dev.omem.config.NativeLibraries.beforeSqlite();
    org.sqlite.SQLiteConfig ro = new org.sqlite.SQLiteConfig();
    ro.setReadOnly(true);
    try (Connection c =
        DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), ro.toProperties())) {
      String check = text(c, "PRAGMA quick_check");
      if (!"ok".equals(check)) {
        throw OmemException.invalid(file + " is a damaged SQLite database: " + firstLine(check));
      }
      int version = Migrations.currentVersion(c);
      if (version > Migrations.latestVersion()) {
        throw OmemException.invalid(
            file
                + " is a store of schema version "
                + version
                + ", newer than this omem's ("
                + Migrations.latestVersion()
                + "): upgrade omem to restore it");
      }
      String tables =
          text(
              c,
              "SELECT count(*) FROM sqlite_master WHERE type='table'"
                  + " AND name IN ('memories','changes','meta')");
      if (version < 1 || !"3".equals(tables)) {
        throw OmemException.invalid(file + " is a SQLite database but not an omem store");
      }
      return version;
    } catch (SQLException e) {
      throw OmemException.invalid(
          file + " is not a readable omem backup: " + firstLine(e.getMessage()));
    }
  }

  /**
   * Drops every stored vector of {@code copy} (a restore's own copy of a backup, never the user's
   * file): a backup's vector is only its claim about a text, and a doctored one (a vector copied
   * from an unrelated memory) would make a memory surface for queries it has nothing to do with.
   * The restored store's memories are embedded again from their own texts. Returns the rows.
   */
  public static int forgetVectors(Path copy) {
    dev.omem.config.NativeLibraries.beforeSqlite();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy.toAbsolutePath());
        Statement s = c.createStatement()) {
      return s.executeUpdate("UPDATE memories SET embedding=NULL, embedding_model=NULL");
    } catch (SQLException e) {
      throw OmemException.invalid(
          copy + " is not a writable omem backup copy: " + firstLine(e.getMessage()));
    }
  }

  private static String text(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static String firstLine(String s) {
    return s == null ? "unknown error" : s.lines().findFirst().orElse(s);
  }
}
