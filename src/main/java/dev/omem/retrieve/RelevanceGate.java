package dev.omem.retrieve;

import java.util.Arrays;
import java.util.List;

/**
 * The prompt-level gate of the relevance score: how likely it is that anything in the store answers
 * this query at all, from the distribution of its candidates' pair probabilities and the query's
 * own features (a logistic regression over {@link #NAMES}, standardised). A search multiplies every
 * candidate's probability by it, so the order within one query never changes (LoCoMo, run with
 * {@code min_score} 0, cannot move), but a query none of whose candidates stands out falls under
 * the floor as a whole. Fitted with the pair model by {@code scripts/fit-relevance} on the training
 * projects' inner left-out pair probabilities (session 11, issue 13: unrelated prompts' best
 * candidates look like answerable prompts' relevant ones one candidate at a time, BENCHMARKS.md
 * "Session 11").
 *
 * @param mean each gate feature's mean on the training prompts
 * @param scale each one's standard deviation there (never 0)
 * @param weights the intercept, then one weight per standardised gate feature
 */
public record RelevanceGate(double[] mean, double[] scale, double[] weights) {

  /** The gate's features, in the order of the numbers (and of the weights file's gate lines). */
  public static final List<String> NAMES =
      List.of(
          "logit_top", // log-odds of the query's best pair probability
          "logit_top_minus_second", // how far the best stands out from the second
          "logit_top5_mean", // log-odds of the mean of the five best
          "best_cosine", // the query's best cosine (RelevanceFeatures)
          "query_words_in_store", // share of its content words any candidate holds
          "log_query_words", // ln(1 + its content words)
          "max_coverage", // the best candidate coverage of its words
          "max_idf_coverage"); // the same, weighted by rarity among the candidates

  /** No gate: every query passes whole (a weights file without gate lines). */
  public static final RelevanceGate NONE =
      new RelevanceGate(new double[0], new double[0], new double[0]);

  public RelevanceGate {
    mean = mean.clone();
    scale = scale.clone();
    weights = weights.clone();
    boolean none = mean.length == 0 && scale.length == 0 && weights.length == 0;
    int n = NAMES.size();
    if (!none && (mean.length != n || scale.length != n || weights.length != n + 1)) {
      throw new IllegalArgumentException(
          "a relevance gate needs " + n + " means and scales and " + (n + 1) + " weights");
    }
    for (double s : scale) {
      if (!(s > 0) || Double.isInfinite(s)) {
        throw new IllegalArgumentException("gate scales must be positive: " + s);
      }
    }
  }

  /** Whether this is {@link #NONE}. */
  public boolean none() {
    return weights.length == 0;
  }

  /**
   * The gate's features of one query: {@code p} its candidates' pair probabilities, {@code x} their
   * {@link RelevanceFeatures} rows (the query's own features are the same in every row).
   */
  public static double[] features(double[] p, double[][] x) {
    double[] s = p.clone();
    Arrays.sort(s);
    int m = s.length;
    double top = m > 0 ? s[m - 1] : 0;
    double second = m > 1 ? s[m - 2] : 0;
    int k = Math.min(5, m);
    double mean5 = 0;
    for (int i = 0; i < k; i++) {
      mean5 += s[m - 1 - i] / k;
    }
    List<String> f = RelevanceFeatures.NAMES;
    int coverage = f.indexOf("coverage");
    int idfCoverage = f.indexOf("idf_coverage");
    double cov = 0;
    double idf = 0;
    for (double[] row : x) {
      cov = Math.max(cov, row[coverage]);
      idf = Math.max(idf, row[idfCoverage]);
    }
    double[] first = x.length == 0 ? new double[f.size()] : x[0];
    return new double[] {
      logit(top),
      logit(top) - logit(second),
      logit(mean5),
      first[f.indexOf("best_cosine")],
      first[f.indexOf("query_words_in_store")],
      first[f.indexOf("log_query_words")],
      cov,
      idf
    };
  }

  /** The probability that the query is answerable from these candidates; 1 for {@link #NONE}. */
  public double probability(double[] gateFeatures) {
    if (none()) {
      return 1;
    }
    double z = weights[0];
    for (int i = 0; i < mean.length; i++) {
      z += weights[i + 1] * (gateFeatures[i] - mean[i]) / scale[i];
    }
    return 1 / (1 + Math.exp(-z));
  }

  /** Log-odds, clamped to ±13.8 (probabilities 1e-6 from 0 and 1), so none is infinite. */
  static double logit(double p) {
    double v = Math.min(1 - 1e-6, Math.max(1e-6, p));
    return Math.log(v / (1 - v));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RelevanceGate g
        && Arrays.equals(mean, g.mean)
        && Arrays.equals(scale, g.scale)
        && Arrays.equals(weights, g.weights);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(weights);
  }

  @Override
  public String toString() {
    return "RelevanceGate" + Arrays.toString(weights);
  }
}
