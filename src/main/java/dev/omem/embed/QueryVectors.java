package dev.omem.embed;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The query vectors of the latest queries, by their exact text: agents repeat a query, and the
 * prompt hook and the agent's own search often send the same prompt, so the second search skips the
 * model (about 6 ms of CPU a query on two cores: 4 on the calling thread, 2 on ONNX Runtime's
 * other; issue 19, BENCHMARKS "Session 17"). One model per instance, and a text's vector does not
 * depend on its batch-mates ({@link OnnxEmbedder}), so a kept vector is the one a new call would
 * give. Least recently used first out. Each caller gets its own copy. Thread-safe.
 */
final class QueryVectors {
  /**
   * Queries kept at most. A judgment, not a fit: a session's hook and search pairs are a few apart,
   * and 128 vectors of 384 floats are under 200 KB.
   */
  static final int CAPACITY = 128;

  /**
   * Longest query text kept, in chars: a pasted log as a prompt is rarely sent twice, and keeping
   * it would make the kept keys, not the vectors, the memory this costs (at most 128 × 4 KB).
   */
  static final int MAX_CHARS = 2_000;

  private final Map<String, float[]> vectors =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
          return size() > CAPACITY;
        }
      };

  /**
   * The vector of {@code text}: kept, or else {@code embed}'s (outside the lock, so that searches
   * of different texts embed at once), kept for the next call.
   */
  float[] get(String text, Function<String, float[]> embed) {
    if (text.length() > MAX_CHARS) {
      return embed.apply(text);
    }
    float[] kept;
    synchronized (this) {
      kept = vectors.get(text);
    }
    if (kept == null) {
      kept = embed.apply(text);
      synchronized (this) {
        vectors.put(text, kept);
      }
    }
    return kept.clone();
  }
}
