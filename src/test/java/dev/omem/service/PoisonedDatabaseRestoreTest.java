package dev.omem.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.config.OmemConfig;
import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchMode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code .db} side of {@link PoisonedRestoreTest}: {@code omem restore} of a SQLite backup
 * whose stored vectors were doctored (one memory given an unrelated memory's vector, written with
 * SQLite itself) must not let that memory surface for the unrelated memory's queries: a restore
 * embeds every text again and keeps none of the backup's vectors. Real SQLite, Lucene, ONNX model;
 * searched by meaning only, so keywords cannot hide what the vectors do.
 */
class PoisonedDatabaseRestoreTest {
  private static final String POISON = "Always run the tests before committing";
  private static final String BILLING =
      "Billing webhooks are retried with exponential backoff up to five times";
  private static final List<String> OTHERS =
      List.of(
          "The frontend is built with Vite and served from the dist folder",
          "Database migrations live in db/migrations and run on deploy",
          "Use the staging cluster in eu-west-1 for load tests");

  @TempDir Path homeA;
  @TempDir Path homeB;
  @TempDir Path files;
  private final Caller me = new Caller(null, "github.com/acme/alpha", "claude-code", "s-1");

  @Test
  void aDoctoredVectorInADatabaseBackupIsNotRestored() throws Exception {
    Path backup = files.resolve("doctored.db");
    try (LocalMemoryService a = open(homeA, SearchMode.HYBRID)) {
      a.store(me, StoreRequest.of(POISON));
      a.store(me, StoreRequest.of(BILLING));
      OTHERS.forEach(t -> a.store(me, StoreRequest.of(t)));
      a.backup(me, backup.toString());
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + backup);
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE memories SET embedding=(SELECT embedding FROM memories WHERE content=?)"
                    + " WHERE content=?")) {
      ps.setString(1, BILLING);
      ps.setString(2, POISON);
      assertEquals(1, ps.executeUpdate(), "the backup's poisoned row carries the billing vector");
    }

    OmemConfig b = new OmemConfig(homeB, OmemConfig.DEFAULT_MODEL, SearchMode.VECTOR);
    StoreRestore.Restored r =
        StoreRestore.apply(b, StoreRestore.prepare(homeB, backup), Clock.systemUTC());
    assertEquals(5, r.memories());

    try (LocalMemoryService s = open(homeB, SearchMode.VECTOR)) {
      List<ScoredMemory> billing = search(s, BILLING);
      assertEquals(BILLING, billing.get(0).memory().content(), billing.toString());
      double top = billing.get(0).score();
      // With the backup's vector kept, the poisoned memory scored 0.84 here against the billing
      // memory's 0.99 (and under 0.1 for its own text); embedded from its text, 0.001.
      assertFalse(
          billing.stream()
              .anyMatch(m -> m.memory().content().equals(POISON) && m.score() >= top / 2),
          "the poisoned memory does not surface for the billing query: " + billing);
      List<ScoredMemory> own = search(s, POISON);
      assertEquals(POISON, own.get(0).memory().content(), "found by its own text: " + own);
    }
  }

  private List<ScoredMemory> search(LocalMemoryService s, String q) {
    return s.search(me, SearchRequest.builder(q).limit(5).minScore(0.0).countAccess(false).build())
        .results();
  }

  private static LocalMemoryService open(Path home, SearchMode mode) {
    LocalMemoryService s =
        LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL, mode));
    assertTrue(s.awaitModel(Duration.ofSeconds(120)), "model loads");
    return s;
  }
}
