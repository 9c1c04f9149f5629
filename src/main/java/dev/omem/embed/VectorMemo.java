package dev.omem.embed;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Document vectors computed moments ago, by their exact text, so that the write that follows does
 * not embed the same text again (issue 14: smart ingest embeds every sentence to classify it, and
 * the write of each fact it keeps needed that same vector). One provider, one model: a text's
 * vector does not depend on its batch-mates ({@link OnnxEmbedder}), so a kept vector is the one a
 * new call would give. A vector is handed out once ({@link #take}); those never asked for (facts
 * dropped before their write) leave when {@value #CAPACITY} newer ones came in. Thread-safe.
 */
public final class VectorMemo {
  /**
   * Vectors kept at most: 384 floats each, so about 600 KB. A capture's chunk of 100 turns gives
   * far fewer facts than this, and the writes follow its extraction at once.
   */
  static final int CAPACITY = 400;

  private final Map<String, float[]> vectors =
      new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
          return size() > CAPACITY;
        }
      };

  /** Keeps the document vector of {@code text}, as the provider's model gave it. */
  public synchronized void put(String text, float[] vector) {
    vectors.put(text, vector);
  }

  /** The vector kept for exactly {@code text}, handed out once; empty when none is kept. */
  public synchronized Optional<float[]> take(String text) {
    return Optional.ofNullable(vectors.remove(text));
  }
}
