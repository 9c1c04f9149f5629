package dev.omem.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.domain.OmemException;
import org.junit.jupiter.api.Test;

class PostgresUrlTest {
  @Test
  void credentialsLeaveTheUrlForTheDriver() {
    PostgresUrl u = PostgresUrl.parse("postgresql://omem:s%40cret@db.internal:6432/team?ssl=true");
    assertEquals("jdbc:postgresql://db.internal:6432/team?ssl=true", u.jdbcUrl());
    assertEquals("omem", u.user());
    assertEquals("s@cret", u.password());
    assertFalse(u.location().contains("s@cret"), u.location());
    assertEquals("jdbc:postgresql://db/x", PostgresUrl.parse("postgres://db/x").jdbcUrl());
    assertEquals("jdbc:postgresql://h:1/d", PostgresUrl.parse("jdbc:postgresql://h:1/d").jdbcUrl());
  }

  @Test
  void aPasswordNeverShowsInWhatIsPrinted() {
    assertEquals(
        "postgresql://omem:***@db:5432/team",
        PostgresUrl.redact("postgresql://omem:hunter2@db:5432/team"));
    assertEquals(
        "db/team?password=***",
        PostgresUrl.parse("jdbc:postgresql://db/team?password=hunter2").location().substring(13));
  }

  @Test
  void somethingElseIsRefusedClearly() {
    assertFalse(PostgresUrl.isPostgres("/home/me/.omem"));
    assertTrue(PostgresUrl.isPostgres("postgresql://h/d"));
    OmemException e = assertThrows(OmemException.class, () -> PostgresUrl.parse("mysql://h/d"));
    assertTrue(e.getMessage().contains("postgresql://"), e.getMessage());
    assertThrows(OmemException.class, () -> PostgresUrl.parse("postgresql:///nohost"));
  }
}
