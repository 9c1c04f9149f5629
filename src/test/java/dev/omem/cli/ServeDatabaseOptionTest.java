package dev.omem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code omem serve --database}: what is not a PostgreSQL URL, or given to the local daemon, is
 * refused in one line before anything opens (and a password in it is not echoed).
 */
class ServeDatabaseOptionTest {
  @TempDir Path home;

  private record Run(int code, String err) {}

  private static Run run(String... args) {
    PrintStream err = System.err;
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Run(code, e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(err);
    }
  }

  @Test
  void aUrlOfAnotherDatabaseIsRefusedWithoutItsPassword() {
    Run r = run("serve", "--home", home.toString(), "--database", "mysql://me:hunter2@db/omem");
    assertTrue(r.code() != 0);
    assertTrue(r.err().contains("takes a postgresql:// URL"), r.err());
    assertFalse(r.err().contains("hunter2"), r.err());
    assertFalse(Files.exists(home.resolve("omem.db")), "no store was opened");
  }

  @Test
  void theLocalDaemonStaysOnSqlite() {
    Run r =
        run("serve", "--daemon", "--home", home.toString(), "--database", "postgresql://h/omem");
    assertTrue(r.code() != 0);
    assertTrue(r.err().contains("not the local daemon"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }
}
