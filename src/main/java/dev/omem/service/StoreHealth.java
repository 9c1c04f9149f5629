package dev.omem.service;

import dev.omem.embed.EmbeddingProvider;
import dev.omem.index.IndexSynchronizer;
import dev.omem.store.MemoryRepository;
import dev.omem.store.StoreUpkeep;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The local store's health: where it lives, its schema, the model's and the index's state, and
 * counts ({@code GET /v1/health}, {@code omem doctor}); and doctor's index check.
 */
final class StoreHealth {
  private final Path home;
  private final StoreUpkeep db;
  private final MemoryRepository repo;
  private final String tenantId;
  private final EmbeddingProvider embeddings;
  private final OpeningIndex index;

  StoreHealth(
      Path home,
      StoreUpkeep db,
      MemoryRepository repo,
      String tenantId,
      EmbeddingProvider embeddings,
      OpeningIndex index) {
    this.home = home;
    this.db = db;
    this.repo = repo;
    this.tenantId = tenantId;
    this.embeddings = embeddings;
    this.index = index;
  }

  Map<String, Object> report() {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("data_dir", home.toString());
    h.put("database", db.location());
    h.put("schema_version", db.schemaVersion());
    h.put("tenant_id", tenantId);
    h.put("model", embeddings.spec().id());
    h.put("model_status", embeddings.status());
    IndexSynchronizer s = index.get();
    s.catchUp();
    h.put("index_dir", s.dir().toString());
    h.put("index_status", s.status().describe());
    h.put("index_documents", s.documents());
    h.put("index_lag", s.lag());
    h.put("memories", repo.countAll());
    // Before the model loads its runtime is unknown: vectors of another runtime count as missing.
    String vectors =
        embeddings
            .ifReady()
            .map(dev.omem.embed.Embedder::vectorModel)
            .orElse(embeddings.spec().id());
    h.put("vectors_made_with", vectors);
    h.put("memories_without_vector", repo.countWithoutEmbedding(vectors));
    return h;
  }

  /**
   * {@code omem doctor}'s index check: every file's checksum verified now, a damaged index rebuilt
   * from the store (waiting up to {@code wait}), and what was found and done. Never throws.
   */
  Map<String, Object> checkIndex(Duration wait) {
    try {
      return IndexReport.of(index.get().verifyNow(wait));
    } catch (RuntimeException e) {
      return IndexReport.failed(e);
    }
  }
}
