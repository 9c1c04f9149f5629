package dev.omem.service;

import dev.omem.domain.Memory;
import dev.omem.embed.Embedder;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.ingest.InjectionScreen;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The injection screen as every write path applies it (issue 14): store, ingest, update, import,
 * share, pull and both restores (a backup's rows, {@link StoreRestore#embedAndScreen}) all pass the
 * memory they are about to write through {@link #screened}, so the stored flag always describes the
 * stored text.
 */
final class TrustScreen {
  private final InjectionScreen screen;

  TrustScreen(EmbeddingProvider embeddings) {
    this(embeddings::ifReady);
  }

  /** The screen over a model that may be absent (a restore without the model: rules only). */
  TrustScreen(Supplier<Optional<Embedder>> model) {
    this.screen = new InjectionScreen(model);
  }

  /**
   * Embeds the screen's exemplars if the model is ready and they are not yet (once per model): a
   * write calls this before it takes the write lock, so that the first screened write after a start
   * does not hold the lock for it.
   */
  void prepare() {
    screen.prepare();
  }

  /**
   * {@code m} with the screen's verdict on its content: flagged with the reason, or not flagged.
   * {@code vector} is its document vector when the caller has one (null: embedded if the model is
   * ready, else only the structural rules run).
   */
  Memory screened(Memory m, float[] vector) {
    String reason = screen.reason(m.content(), vector);
    return Objects.equals(reason, m.trust().flag()) ? m : m.withTrust(m.trust().withFlag(reason));
  }
}
