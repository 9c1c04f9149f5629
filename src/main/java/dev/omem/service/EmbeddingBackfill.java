package dev.omem.service;

import dev.omem.embed.Embedder;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.store.EmbeddingQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds, in the background and in batches, memories that have no vector of the configured model:
 * those stored while the model was loading, and all of them after the model is changed.
 */
final class EmbeddingBackfill implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddingBackfill.class);

  /** Texts per model call: the embedder's own batch size, so each call is one ONNX run. */
  private static final int BATCH = 32;

  private final EmbeddingQueue repo;
  private final EmbeddingProvider embeddings;
  private final Runnable afterBatch;
  private final Semaphore wake = new Semaphore(0);
  private final Thread thread;
  private volatile boolean running = true;

  EmbeddingBackfill(EmbeddingQueue repo, EmbeddingProvider embeddings, Runnable afterBatch) {
    this.repo = repo;
    this.embeddings = embeddings;
    this.afterBatch = afterBatch;
    this.thread = new Thread(this::run, "omem-embedding-backfill");
    thread.setDaemon(true);
    thread.start();
  }

  /** Asks for another pass (a memory was stored without a vector). */
  void wake() {
    wake.release();
  }

  private void run() {
    Optional<Embedder> embedder = Optional.empty();
    while (running && embedder.isEmpty()) {
      embedder = embeddings.awaitReady(Duration.ofSeconds(5));
      if (embedder.isEmpty() && embeddings.status().startsWith("failed")) {
        LOG.warn("embedding model unavailable ({}); search stays BM25-only", embeddings.status());
        return;
      }
    }
    while (running) {
      try {
        if (!embedBatch(embedder.get())) {
          wake.tryAcquire(30, TimeUnit.SECONDS);
          wake.drainPermits();
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (running) {
          LOG.warn("embedding backfill failed; retrying later", e);
          sleepQuietly();
        }
      }
    }
  }

  /** Embeds one batch; false when nothing was waiting. */
  private boolean embedBatch(Embedder embedder) {
    if (!embedBatch(repo, embedder)) {
      return false;
    }
    afterBatch.run();
    return true;
  }

  /**
   * Embeds one batch of {@code queue}'s memories waiting for a vector, each from its own stored
   * text, and stores the vectors; false when nothing was waiting. Also {@link StoreRestore}'s way
   * to embed a restored store, whose backup's vectors it never keeps.
   */
  static boolean embedBatch(EmbeddingQueue queue, Embedder embedder) {
    String model = embedder.vectorModel();
    Map<String, String> pending = queue.withoutEmbedding(model, BATCH);
    if (pending.isEmpty()) {
      return false;
    }
    List<String> ids = new ArrayList<>(pending.keySet());
    List<float[]> vectors = embedder.embedDocuments(new ArrayList<>(pending.values()));
    for (int i = 0; i < ids.size(); i++) {
      queue.setEmbedding(ids.get(i), pending.get(ids.get(i)), vectors.get(i), model);
    }
    return true;
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
