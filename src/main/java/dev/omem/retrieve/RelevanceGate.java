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
 * <p>Session 12 (issue 13): the gate may read any subset of {@link #ALL}, named in the weights
 * file's {@code gate_features} line, so the fit can choose the set by inner cross-validation. (The
 * query-contrast features tried then gained nothing left-out and were removed in session 13.)
 *
 * @param names the gate features it reads, a subset of {@link #ALL} in any order
 * @param mean each gate feature's mean on the training prompts
 * @param scale each one's standard deviation there (never 0)
 * @param weights the intercept, then one weight per standardised gate feature
 * @param style the query-style regression {@code query_style} reads ({@link QueryStyle#NONE} when
 *     the gate does not read it)
 */
public record RelevanceGate(
    List<String> names, double[] mean, double[] scale, double[] weights, QueryStyle style) {

  /** The session 11 gate's features (a weights file of session 11 names these, in this order). */
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

  /** The log-odds of the query's {@link QueryStyle}: from its vector, not its candidates. */
  public static final String QUERY_STYLE = "query_style";

  /**
   * Every feature a gate can read, in the order of {@link #features}: {@link #NAMES}, then {@link
   * #QUERY_STYLE}.
   */
  public static final List<String> ALL =
      java.util.stream.Stream.of(NAMES, List.of(QUERY_STYLE)).flatMap(List::stream).toList();

  /** No gate: every query passes whole (a weights file without gate lines). */
  public static final RelevanceGate NONE =
      new RelevanceGate(List.of(), new double[0], new double[0], new double[0]);

  /** A gate over the session 11 features ({@link #NAMES}). */
  public RelevanceGate(double[] mean, double[] scale, double[] weights) {
    this(NAMES, mean, scale, weights);
  }

  /** A gate that does not read {@link #QUERY_STYLE}. */
  public RelevanceGate(List<String> names, double[] mean, double[] scale, double[] weights) {
    this(names, mean, scale, weights, QueryStyle.NONE);
  }

  public RelevanceGate {
    names = List.copyOf(names);
    mean = mean.clone();
    scale = scale.clone();
    weights = weights.clone();
    boolean none = names.isEmpty() && mean.length == 0 && scale.length == 0 && weights.length == 0;
    for (String name : names) {
      if (!ALL.contains(name)) {
        throw new IllegalArgumentException("no gate feature '" + name + "' (known: " + ALL + ")");
      }
    }
    if (names.stream().distinct().count() != names.size()) {
      throw new IllegalArgumentException("a gate feature is named twice: " + names);
    }
    if (names.contains(QUERY_STYLE) == style.none()) {
      throw new IllegalArgumentException(
          style.none()
              ? "a gate reading query_style needs its query style weights"
              : "query style weights given to a gate that does not read query_style");
    }
    int n = names.size();
    if (!none && (n == 0 || mean.length != n || scale.length != n || weights.length != n + 1)) {
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
   * Every gate feature ({@link #ALL}) of one query: {@code p} its candidates' pair probabilities,
   * {@code x} their {@link RelevanceFeatures} rows (the query's own features are the same in every
   * row), {@code queryStyle} the log-odds of its {@link QueryStyle} (0 when none).
   */
  public static double[] features(double[] p, double[][] x, double queryStyle) {
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
    double[] own = {
      logit(top),
      logit(top) - logit(second),
      logit(mean5),
      first[f.indexOf("best_cosine")],
      first[f.indexOf("query_words_in_store")],
      first[f.indexOf("log_query_words")],
      cov,
      idf
    };
    double[] all = Arrays.copyOf(own, own.length + 1);
    all[all.length - 1] = queryStyle;
    return all;
  }

  /** {@link #features(double[], double[][], double)} of a query without a style model. */
  public static double[] features(double[] p, double[][] x) {
    return features(p, x, 0);
  }

  /**
   * The probability that the query is answerable from these candidates, from all its gate features
   * ({@link #features}, in the order of {@link #ALL}); 1 for {@link #NONE}.
   */
  public double probability(double[] allFeatures) {
    if (none()) {
      return 1;
    }
    double z = weights[0];
    for (int i = 0; i < mean.length; i++) {
      z += weights[i + 1] * (allFeatures[ALL.indexOf(names.get(i))] - mean[i]) / scale[i];
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
        && names.equals(g.names)
        && Arrays.equals(mean, g.mean)
        && Arrays.equals(scale, g.scale)
        && Arrays.equals(weights, g.weights)
        && style.equals(g.style);
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
