package dev.omem.service;

import dev.omem.embed.Embedder;
import java.util.ArrayList;
import java.util.List;

/**
 * The vector of an explicitly stored memory that follows another in the caller's session (issue 13,
 * session 15): the normalised sum of the memory's own vector and the vector of the memory followed
 * by the one stored before it, so that a chat turn such as "I painted that last year!" carries the
 * topic of the photo turn it answers while keeping its own. Only the vector sees the context: the
 * content stays as given, and BM25 reads the content alone. A caller without a session (the CLI, an
 * import, a REST call with none) has no previous memory, and the vector is the content's. The
 * content comes first in the contextual text so that the model's 512-token window cuts the context,
 * never the memory. Vectors computed later from the content alone (the backfill after the model
 * loads, a reindex, an edit) lose the context; the ranking treats them as any other vector.
 *
 * <p>Why a sum of the two (1:1, not tuned): on LoCoMo dev, the contextual text alone raised conv-26
 * (R@10 0.799 → 0.817) but lowered conv-30 (0.779 → 0.766), the context placed first lowered both,
 * and the sum raised conv-26 to 0.814 and kept conv-30 at 0.779 (BENCHMARKS.md "Session 15").
 *
 * <p>{@code OMEM_TURN_CONTEXT} = on (default) or off (the content alone: the ablation).
 */
final class TurnContext {
  static final boolean ON =
      !"off".equalsIgnoreCase(System.getenv().getOrDefault("OMEM_TURN_CONTEXT", "on"));

  private TurnContext() {}

  /** The text the contextual half is computed from: the memory, then the one before it. */
  static String text(String content, String previous) {
    return content + "\n" + previous;
  }

  /**
   * The vectors of {@code contents}, each with its {@code previous} (same length; a null entry: no
   * context, the content's own vector): one model call for the contents, one for those in context.
   */
  static List<float[]> vectors(Embedder e, List<String> contents, List<String> previous) {
    List<float[]> out = new ArrayList<>(e.embedDocuments(contents));
    List<Integer> at = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < contents.size(); i++) {
      String p = previous.get(i);
      if (ON && p != null && !p.isBlank()) {
        at.add(i);
        texts.add(text(contents.get(i), p));
      }
    }
    if (texts.isEmpty()) {
      return out;
    }
    List<float[]> inContext = e.embedDocuments(texts);
    for (int k = 0; k < at.size(); k++) {
      out.set(at.get(k), normalisedSum(out.get(at.get(k)), inContext.get(k)));
    }
    return out;
  }

  static float[] normalisedSum(float[] a, float[] b) {
    float[] s = new float[a.length];
    double n = 0;
    for (int i = 0; i < a.length; i++) {
      s[i] = a[i] + b[i];
      n += (double) s[i] * s[i];
    }
    float inv = n == 0 ? 0 : (float) (1 / Math.sqrt(n));
    for (int i = 0; i < s.length; i++) {
      s[i] *= inv;
    }
    return s;
  }
}
