package dev.omem.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.config.OmemConfig;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.Memory;
import dev.omem.domain.OmemException;
import dev.omem.testing.PostgresCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The service contract in-process with its store in PostgreSQL (the index stays in the home): one
 * database for the class, emptied before each test.
 */
class PostgresMemoryServiceTest extends MemoryServiceContract {
  private static String url;

  @Override
  protected MemoryService open(Path home) {
    PostgresCluster cluster = PostgresCluster.shared();
    if (url == null) {
      url = cluster.newDatabase("service");
    } else {
      cluster.empty(url);
    }
    return openOn(home);
  }

  private static LocalMemoryService openOn(Path home) {
    LocalMemoryService s =
        LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL).withDatabase(url));
    assertTrue(s.awaitModel(Duration.ofSeconds(120)), "model loads");
    return s;
  }

  @Test
  void theStoreIsInTheDatabaseNotTheHome() {
    Memory a = store(alpha, "Releases are cut from the release branch on Thursdays");
    assertFalse(Files.exists(home.resolve("omem.db")), "no SQLite store in the home");
    svc.close();
    // A second node: another home, the same database. Its index starts empty and catches up.
    svc = openOn(home.resolve("node2"));
    assertEquals(a.content(), search(alpha, "when are releases cut").get(0));
  }

  @Test
  void theDailyBackupIsTakenOncePerClusterAsTheSqliteBackupFile() {
    store(alpha, "Releases are cut from the release branch on Thursdays");
    UpkeepResult u = ((LocalAdministration) svc).upkeep();
    assertNotNull(u.backup(), "the first pass takes the daily backup");
    Path file = Path.of(u.backup().path());
    assertEquals(home.resolve("backups"), file.getParent());
    assertTrue(dev.omem.store.sqlite.StoreBackup.verify(file) > 0, "a store file, as on SQLite");
    svc.close();
    // A second node (its own home, the same database) runs the next pass: the cluster's backup
    // of the day exists, so it takes none.
    svc = openOn(home.resolve("node2"));
    assertNull(((LocalAdministration) svc).upkeep().backup(), "one backup a day per cluster");
    assertFalse(Files.exists(home.resolve("node2").resolve("backups")));
  }

  @Test
  void aTenantMayNotBackUpTheSharedStore() {
    OmemException e =
        assertThrows(
            OmemException.class,
            () ->
                svc.backup(
                    new Caller("some-tenant", null, null, null), home.resolve("b.db").toString()));
    assertEquals(ErrorCode.FORBIDDEN, e.code());
    assertFalse(Files.exists(home.resolve("b.db")));
  }

  @Test
  void anIngestTaskOfANodeThatDiedIsRunByAnotherOnceItsLeaseRanOut() {
    String tenant = ((LocalMemoryService) svc).localTenantId();
    svc.close();
    // What a node killed mid-task leaves: the task claimed by it, under a lease that ran out.
    String id = java.util.UUID.randomUUID().toString();
    java.time.Instant t = java.time.Instant.now().minusSeconds(120);
    try (dev.omem.store.Storage s = dev.omem.store.postgres.PostgresStorage.open(url)) {
      s.ingestTasks()
          .create(
              new dev.omem.store.IngestTaskRepository.TaskRow(
                  id, tenant, "pending", "smart", null, null, alpha.project(), null, null, 0, t, t),
              java.util.List.of(
                  new dev.omem.store.IngestTaskRepository.TurnRow(
                      "user", "Remember that our Kafka cluster runs three brokers")));
      assertEquals(id, s.ingestTasks().claim("dead-node", t, t.plusSeconds(60)).orElseThrow().id());
      assertEquals("running", s.ingestTasks().find(tenant, id).orElseThrow().status());
    }
    // Another node (its own home, the same database) claims it again and runs it to the end.
    svc = openOn(home.resolve("node2"));
    dev.omem.domain.IngestTask done = svc.awaitTask(alpha, id, Duration.ofSeconds(60));
    assertEquals("done", done.status(), String.valueOf(done));
    assertTrue(search(alpha, "how many Kafka brokers").get(0).contains("three brokers"));
  }
}
