package dev.omem.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
  void aBackupIsRefusedWithWhatToUseInsteadAndTheUpkeepPassSkipsIt() {
    OmemException e =
        assertThrows(OmemException.class, () -> svc.backup(alpha, home.resolve("b.db").toString()));
    assertEquals(ErrorCode.VALIDATION, e.code());
    assertTrue(e.getMessage().contains("pg_dump"), e.getMessage());
    assertFalse(Files.exists(home.resolve("b.db")));
    UpkeepResult u = ((LocalAdministration) svc).upkeep();
    assertEquals(null, u.backup(), "no backup taken, and the pass does not fail");
    assertFalse(Files.exists(home.resolve("backups")));
  }
}
