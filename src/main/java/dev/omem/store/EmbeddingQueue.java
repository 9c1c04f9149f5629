package dev.omem.store;

import java.util.Map;

/** Memories still waiting for a vector of the current model, and the vectors set afterwards. */
public interface EmbeddingQueue {
  /**
   * Stores a vector computed after the fact (the model was still loading at write time, or the
   * configured model changed), unless the content changed meanwhile.
   */
  void setEmbedding(String id, String content, float[] vector, String model);

  /** Up to {@code limit} memories with no vector of {@code model} yet: id to content. */
  Map<String, String> withoutEmbedding(String model, int limit);

  /** How many memories have no vector of {@code model} yet. */
  long countWithoutEmbedding(String model);
}
