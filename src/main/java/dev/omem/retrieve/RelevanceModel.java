package dev.omem.retrieve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The relevance score: for a query and a memory, the probability that the memory matters for the
 * query, from a logistic regression over some of {@link RelevanceFeatures} (standardised; which
 * ones the file names, as cross-validation chose them). Weights, the search floor and the hooks'
 * injection threshold come from one text file fitted by {@code scripts/fit-relevance} with
 * leave-one-project-out cross-validation; its header says on which data, when, and the left-out
 * figures. The shipped file is {@value #RESOURCE}; {@code OMEM_RELEVANCE_WEIGHTS} names another
 * (benchmarks run each left-out fold's own file).
 *
 * @param features the features read, by name, in the order of the numbers below
 * @param mean each feature's mean on the training pairs
 * @param scale each feature's standard deviation there (never 0)
 * @param weights the intercept, then one weight per standardised feature
 * @param searchFloor {@code memory_search}'s default {@code min_score}
 * @param hookThreshold the probability a memory needs before a hook injects it unasked
 * @param gate the prompt-level gate its probabilities are multiplied by ({@link RelevanceGate};
 *     {@link RelevanceGate#NONE} when the file has no gate lines)
 */
public record RelevanceModel(
    List<String> features,
    double[] mean,
    double[] scale,
    double[] weights,
    double searchFloor,
    double hookThreshold,
    RelevanceGate gate) {
  static final String RESOURCE = "/retrieve/relevance-weights.txt";

  /** The model read while there are no vectors (the embedding model loading, failed, or off). */
  static final String WITHOUT_VECTORS_RESOURCE = "/retrieve/relevance-weights-bm25.txt";

  /**
   * The features a search has without vectors: BM25's, the fusion's and the query's words. The
   * cosine, background and hubness features need the embedding model.
   */
  public static final List<String> WITHOUT_VECTORS =
      List.of(
          "bm25",
          "coverage",
          "log_bm25_rank",
          "fused",
          "gap_to_next",
          "log_fused_rank",
          "log_query_words",
          "idf_coverage",
          "query_words_in_store");

  /** A model without a gate. */
  public RelevanceModel(
      List<String> features,
      double[] mean,
      double[] scale,
      double[] weights,
      double searchFloor,
      double hookThreshold) {
    this(features, mean, scale, weights, searchFloor, hookThreshold, RelevanceGate.NONE);
  }

  /** A model over every feature of this build. */
  public RelevanceModel(
      double[] mean, double[] scale, double[] weights, double searchFloor, double hookThreshold) {
    this(RelevanceFeatures.NAMES, mean, scale, weights, searchFloor, hookThreshold);
  }

  public RelevanceModel {
    features = List.copyOf(features);
    if (features.isEmpty() || features.stream().distinct().count() != features.size()) {
      throw new IllegalArgumentException("a relevance model names each feature once: " + features);
    }
    for (String f : features) {
      if (!RelevanceFeatures.NAMES.contains(f)) {
        throw new IllegalArgumentException(
            "the feature '" + f + "' is not one of this build's " + RelevanceFeatures.NAMES);
      }
    }
    int n = features.size();
    if (mean.length != n || scale.length != n || weights.length != n + 1) {
      throw new IllegalArgumentException(
          "a relevance model needs " + n + " means and scales and " + (n + 1) + " weights");
    }
    for (double s : scale) {
      if (!(s > 0) || Double.isInfinite(s)) {
        throw new IllegalArgumentException("feature scales must be positive: " + s);
      }
    }
    if (!unit(searchFloor) || !unit(hookThreshold)) {
      throw new IllegalArgumentException("thresholds are probabilities in [0, 1]");
    }
  }

  /** The probability that a memory with these features (all of this build's) matters. */
  public double probability(double[] x) {
    double z = weights[0];
    for (int i = 0; i < mean.length; i++) {
      double v = x[RelevanceFeatures.NAMES.indexOf(features.get(i))];
      z += weights[i + 1] * (v - mean[i]) / scale[i];
    }
    return 1 / (1 + Math.exp(-z));
  }

  /**
   * The scores of one query's candidates (their feature rows, as {@link RelevanceFeatures#of} gives
   * them): each pair's probability times the query's {@link RelevanceGate}, the same factor for
   * all, so their order is the pair probabilities' order.
   */
  public double[] scores(double[][] x) {
    return scores(x, null);
  }

  /**
   * {@link #scores(double[][])} with the query's vector, which the gate's {@link QueryStyle} reads
   * (null: none, as without vectors).
   */
  public double[] scores(double[][] x, float[] queryVector) {
    return scored(x, queryVector).scores();
  }

  /**
   * One query's candidates as scored: {@code pairs} their pair probabilities, {@code gate} the
   * query's {@link RelevanceGate} factor (1 without a gate or candidates), {@code scores} each pair
   * times it (the score a search ranks and floors by).
   */
  public record Scored(double[] pairs, double gate, double[] scores) {}

  /** {@link #scores(double[][], float[])}, with the pair probabilities and the factor it used. */
  public Scored scored(double[][] x, float[] queryVector) {
    double[] p = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      p[i] = probability(x[i]);
    }
    if (gate.none() || x.length == 0) {
      return new Scored(p, 1, p);
    }
    double g = gate.probability(RelevanceGate.features(p, x, gate.style().logit(queryVector)));
    double[] s = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      s[i] = p[i] * g;
    }
    return new Scored(p, g, s);
  }

  /** This model with {@code g} as its gate (thresholds as given). */
  public RelevanceModel withGate(RelevanceGate g, double floor, double hook) {
    return new RelevanceModel(features, mean, scale, weights, floor, hook, g);
  }

  /** Whether this model reads a feature measured against {@link BackgroundPrompts}. */
  boolean readsBackground() {
    return features.stream().anyMatch(RelevanceFeatures.BACKGROUND::contains);
  }

  /** Every feature this build computes, in the order of the vectors {@link #probability} reads. */
  public static List<String> featureNames() {
    return RelevanceFeatures.NAMES;
  }

  /** The model in use: {@code OMEM_RELEVANCE_WEIGHTS}' file when set, else the shipped one. */
  public static RelevanceModel shipped() {
    return Shipped.MODEL;
  }

  /**
   * The model a search reads without vectors ({@link #WITHOUT_VECTORS} only), put on the scale of
   * {@link #shipped()} ({@link #onScaleOf}): {@code OMEM_RELEVANCE_WEIGHTS_BM25}'s file when set,
   * else the shipped one.
   */
  public static RelevanceModel shippedWithoutVectors() {
    return Shipped.WITHOUT_VECTORS_MODEL;
  }

  private static final class Shipped {
    static final RelevanceModel MODEL = load("OMEM_RELEVANCE_WEIGHTS", RESOURCE);
    static final RelevanceModel WITHOUT_VECTORS_MODEL =
        load("OMEM_RELEVANCE_WEIGHTS_BM25", WITHOUT_VECTORS_RESOURCE)
            .requireWithoutVectors()
            .onScaleOf(MODEL);

    private static RelevanceModel load(String env, String resource) {
      String file = System.getenv(env);
      try {
        if (file != null && !file.isBlank()) {
          return parse(Files.readString(Path.of(file.trim())), file);
        }
        try (InputStream in = RelevanceModel.class.getResourceAsStream(resource)) {
          if (in == null) {
            throw new IllegalStateException("the relevance weights " + resource + " are missing");
          }
          return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot read the relevance weights: " + e.getMessage(), e);
      }
    }
  }

  /** This model, or a clear error when it reads a feature that needs vectors. */
  public RelevanceModel requireWithoutVectors() {
    if (!gate.none()) {
      throw new IllegalStateException(
          "the BM25-only relevance model has a gate, which needs vectors");
    }
    for (String f : features) {
      if (!WITHOUT_VECTORS.contains(f)) {
        throw new IllegalStateException(
            "the BM25-only relevance model reads '" + f + "', which needs vectors");
      }
    }
    return this;
  }

  /**
   * This model with its log-odds shifted so that its own search floor lands on {@code other}'s, and
   * {@code other}'s thresholds. One default {@code min_score} (and one hook threshold, sent over
   * the wire as a number) then works whichever model scored: a memory the BM25-only model puts at
   * its own floor scores {@code other}'s floor. The order is unchanged; the score is no longer this
   * model's calibrated probability, but its place against the floor is. (The threshold rule picks
   * the same threshold for hook and floor whenever quiet 0.90 is reachable,
   * docs/relevance/threshold-rule.md, so one shift fits both.) Left as it is when a floor is 0 or
   * 1.
   */
  public RelevanceModel onScaleOf(RelevanceModel other) {
    if (!open(searchFloor) || !open(other.searchFloor)) {
      return this;
    }
    double[] w = weights.clone();
    w[0] += logit(other.searchFloor) - logit(searchFloor);
    return new RelevanceModel(
        features, mean, scale, w, other.searchFloor, other.hookThreshold, gate);
  }

  private static boolean open(double p) {
    return p > 0 && p < 1;
  }

  private static double logit(double p) {
    return Math.log(p / (1 - p));
  }

  /**
   * Reads a weights file: {@code #} comments, then the lines {@code features <names>}, {@code
   * mean}, {@code scale}, {@code weights} (intercept first), {@code search_floor}, {@code
   * hook_threshold}, and optionally the gate's ({@code gate_features}, {@code gate_mean}, {@code
   * gate_scale}, {@code gate_weights}, and since session 12 {@code gate_query_style} when the gate
   * reads {@code query_style}; a file without them, as before session 11, has no gate). Anything
   * missing, extra or not a finite number fails with the line named.
   */
  public static RelevanceModel parse(String text, String source) {
    Map<String, String[]> lines = lines(text, source);
    List<String> names = List.of(need(lines, "features", source));
    int n = names.size();
    RelevanceGate gate = gate(lines, source);
    try {
      return new RelevanceModel(
          names,
          numbers(lines, "mean", n, source),
          numbers(lines, "scale", n, source),
          numbers(lines, "weights", n + 1, source),
          numbers(lines, "search_floor", 1, source)[0],
          numbers(lines, "hook_threshold", 1, source)[0],
          gate);
    } catch (IllegalArgumentException e) {
      throw bad(source, e.getMessage());
    }
  }

  /** A weights file's lines by their first word (comments and blank lines left out). */
  static Map<String, String[]> lines(String text, String source) {
    Map<String, String[]> lines = new HashMap<>();
    int no = 0;
    for (String raw : text.split("\n", -1)) {
      no++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\\s+");
      if (lines.put(parts[0], Arrays.copyOfRange(parts, 1, parts.length)) != null) {
        throw bad(source, "line " + no + " repeats '" + parts[0] + "'");
      }
    }
    return lines;
  }

  /** The gate of a weights file's lines; {@link RelevanceGate#NONE} without gate lines. */
  static RelevanceGate gate(Map<String, String[]> lines, String source) {
    RelevanceGate gate = RelevanceGate.NONE;
    if (lines.containsKey("gate_features")) {
      List<String> g = List.of(lines.get("gate_features"));
      int k = g.size();
      double[] styleWeights =
          lines.containsKey("gate_query_style")
              ? numbers(lines, "gate_query_style", lines.get("gate_query_style").length, source)
              : new double[0];
      try {
        QueryStyle style = new QueryStyle(styleWeights);
        gate =
            new RelevanceGate(
                g,
                numbers(lines, "gate_mean", k, source),
                numbers(lines, "gate_scale", k, source),
                numbers(lines, "gate_weights", k + 1, source),
                style);
      } catch (IllegalArgumentException e) {
        throw bad(source, e.getMessage());
      }
    }
    return gate;
  }

  /** The file's text: what {@link #parse} reads back, under {@code header} (comment lines). */
  public String format(List<String> header) {
    StringBuilder sb = new StringBuilder();
    header.forEach(h -> sb.append("# ").append(h).append('\n'));
    sb.append("features ").append(String.join(" ", features)).append('\n');
    sb.append("mean").append(join(mean)).append('\n');
    sb.append("scale").append(join(scale)).append('\n');
    sb.append("weights").append(join(weights)).append('\n');
    sb.append("search_floor ").append(searchFloor).append('\n');
    sb.append("hook_threshold ").append(hookThreshold).append('\n');
    if (!gate.none()) {
      sb.append("gate_features ").append(String.join(" ", gate.names())).append('\n');
      sb.append("gate_mean").append(join(gate.mean())).append('\n');
      sb.append("gate_scale").append(join(gate.scale())).append('\n');
      sb.append("gate_weights").append(join(gate.weights())).append('\n');
      if (!gate.style().none()) {
        sb.append("gate_query_style").append(join(gate.style().weights())).append('\n');
      }
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

  private static String[] need(Map<String, String[]> lines, String key, String source) {
    String[] v = lines.get(key);
    if (v == null) {
      throw bad(source, "the line '" + key + "' is missing");
    }
    return v;
  }

  static double[] numbers(Map<String, String[]> lines, String key, int n, String source) {
    String[] v = need(lines, key, source);
    if (v.length != n) {
      throw bad(source, "'" + key + "' has " + v.length + " numbers, not " + n);
    }
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      try {
        out[i] = Double.parseDouble(v[i]);
      } catch (NumberFormatException e) {
        throw bad(source, "'" + key + "' holds '" + v[i] + "', not a number");
      }
      if (!Double.isFinite(out[i])) {
        throw bad(source, "'" + key + "' holds " + v[i] + ", not a finite number");
      }
    }
    return out;
  }

  static IllegalStateException bad(String source, String why) {
    return new IllegalStateException("malformed relevance weights " + source + ": " + why);
  }

  private static boolean unit(double v) {
    return v >= 0 && v <= 1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RelevanceModel m
        && features.equals(m.features)
        && Arrays.equals(mean, m.mean)
        && Arrays.equals(scale, m.scale)
        && Arrays.equals(weights, m.weights)
        && searchFloor == m.searchFloor
        && hookThreshold == m.hookThreshold
        && gate.equals(m.gate);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(weights);
  }

  @Override
  public String toString() {
    return "RelevanceModel" + Arrays.toString(weights);
  }
}
