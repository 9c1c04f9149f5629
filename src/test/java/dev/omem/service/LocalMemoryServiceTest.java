package dev.omem.service;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.config.OmemConfig;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.Memory;
import dev.omem.domain.OmemException;
import dev.omem.domain.SearchOutcome;
import dev.omem.domain.TraceStage;
import dev.omem.embed.ModelCatalog;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The local service end to end in-process (real SQLite, Lucene and ONNX model): the contract, and
 * what only the store in-process has (restart, crash, lock, a missing model).
 */
class LocalMemoryServiceTest extends MemoryServiceContract {
  @Override
  protected MemoryService open(Path home) {
    LocalMemoryService s = LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL));
    assertTrue(s.awaitModel(Duration.ofSeconds(120)), "model loads");
    return s;
  }

  @Test
  void everythingSurvivesARestartAndACrashBeforeTheIndexCommit() {
    Memory a = store(alpha, "The on-call rotation is in PagerDuty");
    svc.close();
    svc = LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL));
    assertEquals(a.content(), search(alpha, "who is on call").get(0));
    Memory b = store(alpha, "Secrets are kept in Vault under kv/team");
    ((LocalMemoryService) svc).simulateCrash(); // the index never committed b
    svc = LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL));
    assertEquals(b.content(), search(alpha, "Vault kv team secrets").get(0));
  }

  /**
   * The index's catch-up applies a store's new row as the writer holds it instead of reading it
   * back (issue 19), so that row must be the one the store reads back, field for field.
   */
  @Test
  void aStoredMemoryIsTheRowTheStoreReadsBack() {
    Memory m =
        svc.store(
            alpha,
            new StoreRequest(
                "The build uses Gradle 8 with the configuration cache turned on",
                java.util.List.of("build", "gradle"),
                "build.gradle.kts",
                null,
                "global",
                0.8,
                null));
    assertEquals(m, svc.get(alpha, m.id()));
    Memory plain = store(alpha, "Releases are tagged from main every second Tuesday");
    assertEquals(plain, svc.get(alpha, plain.id()));
  }

  @Test
  void aSecondOpenOfTheSameDataDirIsRefusedClearly() {
    OmemException e =
        assertThrows(
            OmemException.class,
            () -> LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL)));
    assertEquals(ErrorCode.CONFLICT, e.code());
    assertTrue(e.getMessage().contains("in use by another omem process"));
  }

  @Test
  void withoutAModelSearchRunsBm25AndTheTraceSaysWhy() {
    // The float32 bge model is benchmark-only: its weights are not on the test class path, so
    // loading fails exactly as a model that is not ready yet leaves search: BM25 alone.
    assertFalse(ModelCatalog.isAvailable(ModelCatalog.BGE_SMALL_EN_V15));
    try (LocalMemoryService noModel =
        LocalMemoryService.open(new OmemConfig(home.resolve("other"), "bge-small-en-v1.5"))) {
      assertFalse(noModel.awaitModel(Duration.ofSeconds(30)));
      noModel.store(alpha, StoreRequest.of("Docs are built with mkdocs"));
      SearchOutcome out =
          noModel.search(alpha, SearchRequest.builder("mkdocs").includeTrace(true).build());
      assertEquals(1, out.results().size());
      assertEquals("bm25", out.trace().mode());
      TraceStage vector = out.trace().stages().get(1);
      assertEquals("vector", vector.name());
      assertTrue(vector.note().contains("BM25 only"), vector.note());
    }
  }
}
