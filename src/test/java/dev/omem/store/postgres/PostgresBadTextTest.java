package dev.omem.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import dev.omem.store.Storage;
import dev.omem.testing.PostgresCluster;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Text PostgreSQL cannot hold (a NUL, which SQLite keeps) is a clear refusal, not a 500. */
class PostgresBadTextTest {
  @Test
  void aNulCharacterIsRefusedAsInvalidInputAndNothingIsStored() {
    try (Storage s = PostgresStorage.open(PostgresCluster.shared().newDatabase("badtext"))) {
      Instant t = Instant.parse("2026-12-05T10:00:00Z");
      OmemException e =
          assertThrows(
              OmemException.class,
              () -> s.hookState().saveOffset("t1", "s1", "/tmp/a\u0000b.jsonl", 10, t));
      assertEquals(ErrorCode.VALIDATION, e.code());
      assertEquals(
          ErrorCode.VALIDATION,
          assertThrows(
                  OmemException.class,
                  () -> s.hookState().offset("t1", "s1", "/tmp/a\u0000b.jsonl"))
              .code(),
          "a read with one is refused the same way");
      assertEquals(OptionalLong.empty(), s.hookState().offset("t1", "s1", "/tmp/ab.jsonl"));
      s.hookState().saveOffset("t1", "s1", "/tmp/ab.jsonl", 10, t);
      assertEquals(OptionalLong.of(10), s.hookState().offset("t1", "s1", "/tmp/ab.jsonl"));
    }
  }
}
