package dev.omem.retrieve;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Session 22 (issue 13, docs/relevance/threshold-rule.md "Session 22: a joint answer/abstain
 * model"): one logistic regression over the query's style and its candidates' evidence, deciding
 * whether a default {@code memory_search} answers at all. It reads {@link RelevanceGate}'s features
 * (the pair probabilities' top, gap and top-5 mean, best cosine, coverage, the query style) and
 * four more about the best candidate and the two retrievers ({@link #EXTRA}).
 *
 * @param names the features it reads, a subset of {@link #ALL}
 * @param mean each one's mean on the training prompts
 * @param scale each one's standard deviation there (never 0)
 * @param weights the intercept, then one weight per standardised feature
 * @param style the query-style regression {@code query_style} reads ({@link QueryStyle#NONE} when
 *     not read)
 */
public record SearchGateJoint(
    List<String> names, double[] mean, double[] scale, double[] weights, QueryStyle style) {

  /** The best candidate's and the retrievers' evidence, beside {@link RelevanceGate#ALL}. */
  public static final List<String> EXTRA =
      List.of(
          "top_coverage", // share of the query's content words the best candidate holds
          "top_idf_coverage", // the same weighted by rarity among the candidates
          "retrievers_agree", // 1 when BM25's first candidate is the vector retriever's first
          "top_log_bm25_rank"); // ln(1 + the best candidate's BM25 place), ln(101) if missed

  /** Every feature, in the order of {@link #features}. */
  public static final List<String> ALL =
      Stream.of(RelevanceGate.ALL, EXTRA).flatMap(List::stream).toList();

  public SearchGateJoint {
    names = List.copyOf(names);
    mean = mean.clone();
    scale = scale.clone();
    weights = weights.clone();
    for (String n : names) {
      if (!ALL.contains(n)) {
        throw new IllegalArgumentException(
            "no search gate feature '" + n + "' (known: " + ALL + ")");
      }
    }
    int n = names.size();
    if (n == 0 || mean.length != n || scale.length != n || weights.length != n + 1) {
      throw new IllegalArgumentException(
          "a joint search gate needs " + n + " means and scales and " + (n + 1) + " weights");
    }
    for (double s : scale) {
      if (!(s > 0) || Double.isInfinite(s)) {
        throw new IllegalArgumentException("search gate scales must be positive: " + s);
      }
    }
    if (names.contains(RelevanceGate.QUERY_STYLE) == style.none()) {
      throw new IllegalArgumentException(
          "a joint search gate reads query_style exactly when it has query style weights");
    }
  }

  /**
   * Every feature ({@link #ALL}) of one query: {@code p} its candidates' pair probabilities, {@code
   * x} their {@link RelevanceFeatures} rows, {@code queryStyle} the log-odds of its {@link
   * QueryStyle}.
   */
  public static double[] features(double[] p, double[][] x, double queryStyle) {
    double[] gate = RelevanceGate.features(p, x, queryStyle);
    List<String> f = RelevanceFeatures.NAMES;
    int cov = f.indexOf("coverage");
    int idf = f.indexOf("idf_coverage");
    int vr = f.indexOf("log_vector_rank");
    int br = f.indexOf("log_bm25_rank");
    int top = -1;
    for (int i = 0; i < p.length; i++) {
      if (top < 0 || p[i] > p[top]) {
        top = i;
      }
    }
    int bm25First = -1, vectorFirst = -1;
    for (int i = 0; i < x.length; i++) {
      bm25First = x[i][br] == 0 && bm25First < 0 ? i : bm25First;
      vectorFirst = x[i][vr] == 0 && vectorFirst < 0 ? i : vectorFirst;
    }
    double[] extra = {
      top < 0 ? 0 : x[top][cov],
      top < 0 ? 0 : x[top][idf],
      bm25First >= 0 && bm25First == vectorFirst ? 1 : 0,
      top < 0 ? Math.log(1 + RankingWeights.CANDIDATES) : x[top][br]
    };
    double[] all = Arrays.copyOf(gate, gate.length + extra.length);
    System.arraycopy(extra, 0, all, gate.length, extra.length);
    return all;
  }

  /** The probability that the query is answerable, from {@link #features}' values. */
  public double probability(double[] allFeatures) {
    double z = weights[0];
    for (int i = 0; i < mean.length; i++) {
      z += weights[i + 1] * (allFeatures[ALL.indexOf(names.get(i))] - mean[i]) / scale[i];
    }
    return 1 / (1 + Math.exp(-z));
  }

  /** The probability for a query's candidates and vector (null without vectors). */
  public double probability(double[] p, double[][] x, float[] queryVector) {
    return probability(features(p, x, style.none() ? 0 : style.logit(queryVector)));
  }

  /** The model's lines in a search gate file ({@code joint_*}; its query style when read). */
  public String format() {
    StringBuilder sb = new StringBuilder();
    sb.append("joint_features ").append(String.join(" ", names)).append('\n');
    sb.append("joint_mean").append(join(mean)).append('\n');
    sb.append("joint_scale").append(join(scale)).append('\n');
    sb.append("joint_weights").append(join(weights)).append('\n');
    if (!style.none()) {
      sb.append("joint_query_style").append(join(style.weights())).append('\n');
    }
    return sb.toString();
  }

  private static String join(double[] xs) {
    StringBuilder sb = new StringBuilder();
    for (double x : xs) {
      sb.append(' ').append(x);
    }
    return sb.toString();
  }

  /** The model of a search gate file's lines; null when it has no {@code joint_features} line. */
  static SearchGateJoint parse(java.util.Map<String, String[]> lines, String source) {
    if (!lines.containsKey("joint_features")) {
      return null;
    }
    List<String> n = List.of(lines.get("joint_features"));
    int k = n.size();
    try {
      return new SearchGateJoint(
          n,
          RelevanceModel.numbers(lines, "joint_mean", k, source),
          RelevanceModel.numbers(lines, "joint_scale", k, source),
          RelevanceModel.numbers(lines, "joint_weights", k + 1, source),
          new QueryStyle(
              lines.containsKey("joint_query_style")
                  ? RelevanceModel.numbers(
                      lines, "joint_query_style", lines.get("joint_query_style").length, source)
                  : new double[0]));
    } catch (IllegalArgumentException e) {
      throw RelevanceModel.bad(source, e.getMessage());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SearchGateJoint j
        && names.equals(j.names)
        && Arrays.equals(mean, j.mean)
        && Arrays.equals(scale, j.scale)
        && Arrays.equals(weights, j.weights)
        && style.equals(j.style);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(weights);
  }

  @Override
  public String toString() {
    return "SearchGateJoint" + names + Arrays.toString(weights);
  }
}
