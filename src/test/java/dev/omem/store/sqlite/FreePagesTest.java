package dev.omem.store.sqlite;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Free pages go back to the file system, in a new store and in one made before upkeep existed. */
class FreePagesTest {
  @TempDir Path home;

  static long pragma(Database db, String name) {
    return db.read(
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  static void fillAndDelete(Database db, int rows, int keepEvery) {
    db.write(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS filler (b BLOB)");
            s.execute("DELETE FROM filler");
            for (int i = 0; i < rows; i++) {
              s.execute("INSERT INTO filler VALUES (randomblob(3000))");
            }
            s.execute("DELETE FROM filler WHERE rowid % " + keepEvery + " != 0");
          }
          return null;
        });
  }

  @Test
  void aNewStoreIsIncrementalAndReclaimsWithoutConverting() {
    try (Database db = Database.open(home)) {
      assertEquals(2, pragma(db, "auto_vacuum"), "INCREMENTAL from the first page");
      fillAndDelete(db, 400, 50); // a small share freed: incremental vacuum
      FreePages.Reclaimed r = FreePages.reclaim(db);
      assertFalse(r.converted());
      assertTrue(r.bytesAfter() < r.bytesBefore() / 3, r.toString());
      assertEquals(0, pragma(db, "freelist_count"));
    }
  }

  @Test
  void anOlderStoreIsConvertedOnceByTheFirstPass() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("omem.db"));
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE older (x INTEGER)"); // a table first: auto_vacuum stays NONE
    }
    try (Database db = Database.open(home)) {
      assertEquals(0, pragma(db, "auto_vacuum"));
      fillAndDelete(db, 400, 10);
      FreePages.Reclaimed first = FreePages.reclaim(db);
      assertTrue(first.converted());
      assertTrue(first.bytesAfter() < first.bytesBefore() / 3, first.toString());
      assertEquals(2, pragma(db, "auto_vacuum"));
      assertFalse(FreePages.reclaim(db).converted(), "once");
    }
  }
}
