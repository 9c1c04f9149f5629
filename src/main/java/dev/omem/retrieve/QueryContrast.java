package dev.omem.retrieve;

import java.util.List;

/**
 * Query-level features of the relevance gate ({@link RelevanceGate}) that read how the best
 * candidate stands out from the query's other candidates, not how long the query is: session 11
 * found that an answerable prompt's relevant memory and an unrelated prompt's best match look alike
 * one pair at a time (cosine 0.63 against 0.59), and that the gate's largest weight was the query's
 * length, a risk on terse prompts (BENCHMARKS.md "Session 11"; issue 13). Computed from the
 * candidates a search has already fetched and scored: no model call, one pass over them.
 */
final class QueryContrast {
  private QueryContrast() {}

  /** The features, in the order of {@link #features}. */
  static final List<String> NAMES =
      List.of(
          "cosine_z", // (best cosine − the candidates' mean cosine) / their standard deviation
          "mean_cosine", // the candidates' mean cosine: how near the query sits to the store
          "top_agreement"); // 1 when the most probable candidate is first for both retrievers

  /** A standard deviation below this is treated as no spread (every candidate alike): z is 0. */
  private static final double NO_SPREAD = 1e-6;

  private static final int COSINE = RelevanceFeatures.NAMES.indexOf("cosine");
  private static final int VECTOR_RANK = RelevanceFeatures.NAMES.indexOf("log_vector_rank");
  private static final int BM25_RANK = RelevanceFeatures.NAMES.indexOf("log_bm25_rank");

  /**
   * The features of one query: {@code p} its candidates' pair probabilities, {@code x} their {@link
   * RelevanceFeatures} rows (in the same order). All 0 without candidates.
   */
  static double[] features(double[] p, double[][] x) {
    int m = x.length;
    if (m == 0) {
      return new double[NAMES.size()];
    }
    double sum = 0;
    double sumSq = 0;
    double best = Double.NEGATIVE_INFINITY;
    int top = 0;
    for (int i = 0; i < m; i++) {
      double c = x[i][COSINE];
      sum += c;
      sumSq += c * c;
      best = Math.max(best, c);
      if (p[i] > p[top]) {
        top = i;
      }
    }
    double mean = sum / m;
    double sd = Math.sqrt(Math.max(0, sumSq / m - mean * mean));
    double z = sd < NO_SPREAD ? 0 : (best - mean) / sd;
    // ln(1 + 0) = 0: first in both lists (RelevanceFeatures' rank features).
    boolean agree = x[top][VECTOR_RANK] == 0 && x[top][BM25_RANK] == 0;
    return new double[] {z, mean, agree ? 1 : 0};
  }
}
