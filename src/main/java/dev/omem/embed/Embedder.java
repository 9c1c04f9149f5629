package dev.omem.embed;

import java.util.List;

/**
 * Turns text into unit-length vectors of {@link ModelSpec#dimensions()} floats, so that the dot
 * product of two vectors is their cosine similarity. Thread-safe.
 */
public interface Embedder extends AutoCloseable {

  ModelSpec spec();

  /**
   * What the store records beside each vector this embedder makes: the model's id and the runtime
   * that ran it ({@link dev.omem.domain.VectorModel}); a stored vector recorded otherwise is
   * re-embedded in the background.
   */
  default String vectorModel() {
    return spec().id();
  }

  /** Embeds texts to be stored, in one batch where the model allows it; same order as given. */
  List<float[]> embedDocuments(List<String> texts);

  /** Embeds a search query; models trained with a query instruction get it prepended. */
  float[] embedQuery(String query);

  default float[] embedDocument(String text) {
    return embedDocuments(List.of(text)).get(0);
  }

  @Override
  void close();
}
