package dev.omem.service;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.config.OmemConfig;
import dev.omem.domain.Memory;
import dev.omem.domain.OmemException;
import dev.omem.domain.ScoredMemory;
import dev.omem.store.sqlite.Database;
import dev.omem.store.sqlite.SqliteUpkeep;
import dev.omem.testing.MovableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upkeep pass on a real store: the retention purge through the service, backup rotation. */
class UpkeepTest {
  @TempDir Path home;
  final MovableClock clock = new MovableClock(Instant.parse("2026-11-01T09:00:00Z"));
  final Caller me = Caller.local(null);

  @Test
  void aMemoryDeleted31DaysAgoIsPurgedFromStoreAndIndexAnd29DaysAgoIsKept() {
    try (LocalMemoryService svc =
        LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL), clock)) {
      assertTrue(svc.awaitModel(Duration.ofMinutes(1)));
      Memory old = svc.store(me, StoreRequest.of("The legacy billing cron ran on Jenkins"));
      Memory recent = svc.store(me, StoreRequest.of("The legacy search cron ran on Airflow"));
      Memory kept = svc.store(me, StoreRequest.of("The legacy auth cron ran on Nomad"));
      svc.forget(me, old.id());
      clock.advance(Duration.ofDays(2));
      svc.forget(me, recent.id());
      clock.advance(Duration.ofDays(29)); // old was deleted 31 days ago, recent 29
      assertEquals(3, docs(svc));

      UpkeepResult r = svc.upkeep();

      assertEquals(1, r.purged());
      assertEquals(2, docs(svc), "the index deleted the document");
      assertEquals(2L, ((Number) svc.health().get("memories")).longValue());
      OmemException gone = assertThrows(OmemException.class, () -> svc.get(me, old.id()));
      assertTrue(gone.getMessage().contains("no memory with id"), gone.getMessage());
      assertThrows(OmemException.class, () -> svc.history(me, old.id()));
      assertEquals("deleted", svc.get(me, recent.id()).state().wire(), "29 days: still restorable");
      assertEquals(2, svc.history(me, recent.id()).size());
      List<String> found =
          svc.search(me, SearchRequest.of("legacy cron")).results().stream()
              .map(ScoredMemory::memory)
              .map(Memory::id)
              .toList();
      assertEquals(List.of(kept.id()), found);
      assertEquals(2, svc.reindex(), "a rebuild from SQLite agrees with the index");
      assertEquals(0, svc.upkeep().purged(), "a second pass has nothing to purge");
    }
  }

  static long docs(LocalMemoryService svc) {
    return ((Number) svc.health().get("index_documents")).longValue();
  }

  @Test
  void retentionComesFromTheEnvironmentOrConfigAndRefusesNonsense() throws Exception {
    assertEquals(Duration.ofDays(30), Upkeep.retention(home, Map.of()));
    assertEquals(Duration.ofDays(7), Upkeep.retention(home, Map.of("OMEM_RETENTION_DAYS", "7")));
    Files.writeString(home.resolve("config.json"), "{\"retention_days\": 90}");
    assertEquals(Duration.ofDays(90), Upkeep.retention(home, Map.of()));
    OmemException bad =
        assertThrows(
            OmemException.class, () -> Upkeep.retention(home, Map.of("OMEM_RETENTION_DAYS", "0")));
    assertTrue(bad.getMessage().contains("at least 1"), bad.getMessage());
  }

  @Test
  void aBackupADayKeepsTheNewestSevenOwnerOnly() throws Exception {
    try (Database db = Database.open(home)) {
      Upkeep upkeep = new Upkeep(new SqliteUpkeep(db), home, Duration.ofDays(30), clock, () -> {});
      String first = null;
      for (int day = 0; day < 9; day++) {
        UpkeepResult r = upkeep.run();
        assertNotNull(r.backup(), "day " + day + ": the newest backup is a day old");
        assertEquals(day < 7 ? 0 : 1, r.backupsDeleted());
        if (first == null) {
          first = r.backup().path();
        }
        clock.advance(Duration.ofHours(1));
        assertNull(upkeep.run().backup(), "an hour later: no new backup");
        clock.advance(Duration.ofHours(23));
      }
      Path dir = home.resolve("backups");
      List<Path> files;
      try (Stream<Path> s = Files.list(dir)) {
        files = s.sorted().toList();
      }
      assertEquals(7, files.size(), files.toString());
      assertFalse(Files.exists(Path.of(first)), "the oldest were deleted");
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
      for (Path f : files) {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertTrue(dev.omem.store.sqlite.StoreBackup.verify(f) > 0, f + " is a store");
      }
    }
  }
}
