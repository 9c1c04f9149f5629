package dev.omem.service;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.config.OmemConfig;
import dev.omem.domain.Memory;
import dev.omem.domain.OmemException;
import dev.omem.domain.ScoredMemory;
import dev.omem.store.sqlite.StoreBackup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup/restore round trip while writes go on: a thread stores during the backup; the backup
 * is a valid store holding every memory acknowledged before it began; a restore brings exactly that
 * back, and search finds it.
 */
class BackupRestoreTest {
  @TempDir Path home;
  final Caller me = Caller.local(null);

  LocalMemoryService open() {
    LocalMemoryService svc =
        LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL));
    assertTrue(svc.awaitModel(Duration.ofMinutes(1)));
    return svc;
  }

  @Test
  void aBackupTakenDuringWritesHoldsEveryAcknowledgedStoreAndRestoresSearchable() throws Exception {
    ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
    Set<String> beforeBackup;
    BackupInfo backup;
    String afterBackup;
    try (LocalMemoryService svc = open()) {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failed = new AtomicReference<>();
      Thread writer =
          new Thread(
              () -> {
                try {
                  for (int i = 0; !stop.get(); i++) {
                    acked.add(
                        svc.store(
                                me,
                                StoreRequest.of(
                                    "Deploy note " + i + ": the kiwi cluster rotates its certs"))
                            .id());
                  }
                } catch (Throwable t) {
                  failed.set(t);
                }
              });
      writer.start();
      while (acked.size() < 15 && failed.get() == null) {
        Thread.sleep(10);
      }
      beforeBackup = new HashSet<>(acked);
      backup = svc.backup(me, null);
      int atReturn = acked.size();
      while (acked.size() < atReturn + 5 && failed.get() == null) {
        Thread.sleep(10); // writes keep going after the backup too
      }
      stop.set(true);
      writer.join();
      assertNull(failed.get(), "the writer never failed during the backup");
      afterBackup = svc.store(me, StoreRequest.of("Written after the backup: zebra")).id();
    }

    Path file = Path.of(backup.path());
    assertEquals(home.resolve("backups"), file.getParent());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertTrue(StoreBackup.verify(file) > 0);
    Set<String> inBackup = new HashSet<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM memories")) {
      while (rs.next()) {
        inBackup.add(rs.getString(1));
      }
    }
    assertTrue(
        inBackup.containsAll(beforeBackup),
        "missing: " + beforeBackup.stream().filter(id -> !inBackup.contains(id)).toList());
    assertTrue(acked.containsAll(inBackup), "nothing but acknowledged stores");
    assertFalse(inBackup.contains(afterBackup));

    StoreRestore.Restored r =
        StoreRestore.apply(
            new OmemConfig(home, OmemConfig.DEFAULT_MODEL),
            StoreRestore.prepare(home, file),
            Clock.systemUTC());
    assertEquals(inBackup.size(), r.memories());
    assertNotNull(r.previous(), "the replaced store is kept");
    assertTrue(StoreBackup.verify(Path.of(r.previous())) > 0);

    try (LocalMemoryService svc = open()) {
      assertEquals(
          (long) inBackup.size(), ((Number) svc.health().get("index_documents")).longValue());
      assertThrows(OmemException.class, () -> svc.get(me, afterBackup));
      String one = beforeBackup.iterator().next();
      String content = svc.get(me, one).content();
      // min_score 0: this checks the restored index ranks the memory, not the relevance floor
      // (twenty near-identical notes, searched maybe before the model has loaded).
      List<String> found =
          svc.search(me, SearchRequest.builder(content).minScore(0.0).build()).results().stream()
              .map(ScoredMemory::memory)
              .map(Memory::id)
              .toList();
      assertEquals(one, found.get(0), "search finds a restored memory");
      assertTrue(
          svc.search(me, SearchRequest.of("zebra written after the backup")).results().stream()
              .noneMatch(x -> x.memory().id().equals(afterBackup)));
      // and the restored store takes writes
      assertNotNull(svc.store(me, StoreRequest.of("After the restore: the store writes")).id());
    }
  }

  @Test
  void aTenantOfTheServerMayNotBackUpTheWholeStore() {
    try (LocalMemoryService svc = open()) {
      OmemException e =
          assertThrows(
              OmemException.class,
              () -> svc.backup(new Caller("some-tenant", null, null, null), null));
      assertEquals(dev.omem.domain.ErrorCode.FORBIDDEN, e.code());
      assertFalse(Files.exists(home.resolve("backups")));
    }
  }
}
