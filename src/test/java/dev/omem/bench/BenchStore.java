package dev.omem.bench;

import dev.omem.config.OmemConfig;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.SearchMode;
import dev.omem.retrieve.SearchQuery;
import dev.omem.service.LocalMemoryService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;

/**
 * A fresh store for a bench that stores and searches through the real service (SQLite, Lucene, the
 * shipped model in hybrid mode): a temporary home, opened with the model loaded, deleted on close.
 */
final class BenchStore implements AutoCloseable {
  private final Path home;
  private final LocalMemoryService service;

  private BenchStore(Path home, LocalMemoryService service) {
    this.home = home;
    this.service = service;
  }

  /** A new store in a temporary folder named {@code prefix...}; waits up to 3 min for the model. */
  static BenchStore open(String prefix) throws IOException {
    Path home = Files.createTempDirectory(prefix);
    LocalMemoryService svc = null;
    try {
      svc =
          LocalMemoryService.open(
              new OmemConfig(home, OmemConfig.DEFAULT_MODEL, SearchMode.HYBRID));
      if (!svc.awaitModel(Duration.ofMinutes(3))) {
        throw new IllegalStateException("the embedding model did not load");
      }
      return new BenchStore(home, svc);
    } catch (RuntimeException e) {
      if (svc != null) {
        svc.close();
      }
      delete(home);
      throw e;
    }
  }

  LocalMemoryService service() {
    return service;
  }

  /**
   * Waits until a search in {@code f} sees {@code n} candidates (at most 100): the index catches up
   * after a store has answered. {@code what} names the store in the error after a minute.
   */
  void awaitCandidates(MemoryFilter f, int n, String what) throws InterruptedException {
    int want = Math.min(n, 100);
    for (int tries = 0; ; tries++) {
      int got =
          service
              .retrievalPipeline()
              .relevanceRows(new SearchQuery("readiness probe", f, 100, 0, null))
              .size();
      if (got >= want) {
        return;
      }
      if (tries > 600) {
        throw new IllegalStateException(what + ": " + got + " candidates");
      }
      Thread.sleep(100);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      service.close();
    } finally {
      delete(home);
    }
  }

  private static void delete(Path home) throws IOException {
    try (var s = Files.walk(home)) {
      s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    }
  }
}
