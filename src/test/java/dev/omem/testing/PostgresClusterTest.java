package dev.omem.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PostgresClusterTest {
  @Test
  void startsOnceAndGivesEachCallerItsOwnDatabase() throws Exception {
    PostgresCluster cluster = PostgresCluster.shared();
    assertTrue(cluster.directory().startsWith(System.getProperty("java.io.tmpdir")));
    assertTrue(Files.isDirectory(cluster.directory().resolve("data")));
    String a = cluster.newDatabase("first");
    String b = cluster.newDatabase("first");
    assertNotEquals(a, b);
    assertEquals(cluster, PostgresCluster.shared());
    try (Connection c = cluster.connect(PostgresCluster.databaseOf(a));
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (x int)");
      s.execute("INSERT INTO t VALUES (41)");
      try (ResultSet rs = s.executeQuery("SELECT x + 1, current_database() FROM t")) {
        rs.next();
        assertEquals(42, rs.getInt(1));
        assertEquals(PostgresCluster.databaseOf(a), rs.getString(2));
      }
    }
    try (Connection c = cluster.connect(PostgresCluster.databaseOf(b));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 't'")) {
      rs.next();
      assertEquals(0, rs.getInt(1), "a new database starts empty");
    }
  }
}
