package dev.omem.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The learned extraction classifier: a logistic regression over a sentence's embedding (the shipped
 * model's document vector) and its {@link FactFeatures}, giving the probability that the sentence
 * states a durable fact; a nearest-centroid kind (preference, convention, decision, project fact,
 * correction); and a global-scope centroid rule. Fitted by {@code scripts/fit-extraction}
 * (leave-one-repository-out cross-validation over the dev corpus) and shipped as {@code
 * extraction-model.txt} beside this class; its header names the data, the date and the
 * cross-validated figures.
 *
 * <p>The file: {@code #} comments, then one line per key: {@code threshold t}, {@code per_turn n}
 * (optional: at most n pieces of one user turn kept; 0 or missing: no cap), {@code merge m}
 * (optional: a kept piece within cosine m of a more probable kept one is dropped), {@code bias b},
 * {@code mean}/{@code std} (of the rule features), {@code w} (embedding dims then rule features),
 * {@code kind.<name>} (a centroid), {@code scope.global}, {@code scope.project} (centroids) and
 * {@code scope.margin m} (global when its centroid is nearer by more than m). A file with fewer
 * rule features than {@link FactFeatures#COUNT} (fitted before the later ones existed) reads the
 * missing ones with weight 0.
 */
public final class ExtractionModel {
  /** The shipped weights, a resource beside this class. */
  public static final String RESOURCE = "extraction-model.txt";

  /** The setting that loads other weights (leave-one-repository-out runs of the benchmark). */
  public static final String WEIGHTS_ENV = "OMEM_EXTRACTION_WEIGHTS";

  private final double threshold;
  private final double bias;
  private final double[] mean;
  private final double[] std;
  private final double[] w;
  private final Map<String, double[]> kinds;
  private final double[] global;
  private final double[] project;
  private final double scopeMargin;
  private final int perTurn;
  private final double merge;

  /** No merge: a cosine no pair of pieces reaches. */
  public static final double NO_MERGE = 2;

  /** A model from its parts (the fit builds one this way before writing it). */
  public ExtractionModel(
      double threshold,
      int perTurn,
      double merge,
      double bias,
      double[] mean,
      double[] std,
      double[] w,
      Map<String, double[]> kinds,
      double[] global,
      double[] project,
      double scopeMargin) {
    this.threshold = threshold;
    this.perTurn = perTurn;
    this.merge = merge;
    this.bias = bias;
    this.mean = mean.clone();
    this.std = std.clone();
    this.w = w.clone();
    this.kinds = new LinkedHashMap<>(kinds);
    this.global = global;
    this.project = project;
    this.scopeMargin = scopeMargin;
    if (mean.length != FactFeatures.COUNT || std.length != FactFeatures.COUNT) {
      throw new IllegalArgumentException(
          "expected " + FactFeatures.COUNT + " features, got " + mean.length);
    }
  }

  /** The weights named by {@code OMEM_EXTRACTION_WEIGHTS}, else the shipped ones. */
  public static ExtractionModel load() {
    String file = System.getenv(WEIGHTS_ENV);
    if (file != null && !file.isBlank()) {
      try (InputStream in = Files.newInputStream(Path.of(file.trim()))) {
        return read(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + WEIGHTS_ENV + "=" + file, e);
      }
    }
    return shipped();
  }

  /** The weights in the jar. */
  public static ExtractionModel shipped() {
    try (InputStream in = ExtractionModel.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      return read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads the text format described above; a missing or short line is an error. */
  public static ExtractionModel read(InputStream in) throws IOException {
    Map<String, double[]> v = new LinkedHashMap<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        String[] parts = t.split("\\s+");
        double[] xs = new double[parts.length - 1];
        for (int i = 1; i < parts.length; i++) {
          xs[i - 1] = Double.parseDouble(parts[i]);
        }
        v.put(parts[0], xs);
      }
    }
    Map<String, double[]> kinds = new LinkedHashMap<>();
    v.forEach(
        (k, xs) -> {
          if (k.startsWith("kind.")) {
            kinds.put(k.substring(5), xs);
          }
        });
    double[] w = need(v, "w");
    double[] mean = need(v, "mean");
    double[] std = need(v, "std");
    if (w.length <= mean.length || std.length != mean.length || mean.length > FactFeatures.COUNT) {
      throw new IOException("weights: w has " + w.length + " entries, mean " + mean.length);
    }
    // A file fitted before later features were added reads none of them: weight 0.
    int older = FactFeatures.COUNT - mean.length;
    w = Arrays.copyOf(w, w.length + older);
    mean = Arrays.copyOf(mean, FactFeatures.COUNT);
    std = Arrays.copyOf(std, FactFeatures.COUNT);
    Arrays.fill(std, FactFeatures.COUNT - older, FactFeatures.COUNT, 1);
    return new ExtractionModel(
        need(v, "threshold")[0],
        v.containsKey("per_turn") ? (int) v.get("per_turn")[0] : 0,
        v.containsKey("merge") ? v.get("merge")[0] : NO_MERGE,
        need(v, "bias")[0],
        mean,
        std,
        w,
        kinds,
        v.get("scope.global"),
        v.get("scope.project"),
        v.containsKey("scope.margin") ? v.get("scope.margin")[0] : Double.POSITIVE_INFINITY);
  }

  private static double[] need(Map<String, double[]> v, String key) throws IOException {
    double[] x = v.get(key);
    if (x == null || x.length == 0) {
      throw new IOException("extraction weights: no '" + key + "' line");
    }
    return x;
  }

  /** Writes this model with {@code header} lines (each written as a comment). */
  public String write(String header) {
    StringBuilder b = new StringBuilder();
    for (String h : header.split("\n")) {
      b.append("# ").append(h).append('\n');
    }
    b.append(line("threshold", new double[] {threshold}));
    b.append(line("per_turn", new double[] {perTurn}));
    b.append(line("merge", new double[] {merge}));
    b.append(line("bias", new double[] {bias}));
    b.append(line("mean", mean)).append(line("std", std)).append(line("w", w));
    kinds.forEach((k, c) -> b.append(line("kind." + k, c)));
    if (global != null && project != null) {
      b.append(line("scope.global", global)).append(line("scope.project", project));
      b.append(line("scope.margin", new double[] {scopeMargin}));
    }
    return b.toString();
  }

  private static String line(String key, double[] xs) {
    StringBuilder b = new StringBuilder(key);
    for (double x : xs) {
      b.append(' ').append(String.format(Locale.ROOT, "%.6g", x));
    }
    return b.append('\n').toString();
  }

  /** The embedding dimension these weights expect. */
  public int dimension() {
    return w.length - FactFeatures.COUNT;
  }

  /** The probability at or above which a sentence is kept as a fact. */
  public double threshold() {
    return threshold;
  }

  /** At most this many pieces of one user turn are kept, the most probable (0: no cap). */
  public int perTurn() {
    return perTurn;
  }

  /**
   * A kept piece whose cosine to a more probable kept piece of the same capture is at or above this
   * is the same fact said again, and is dropped ({@link #NO_MERGE}: none is).
   */
  public double merge() {
    return merge;
  }

  /** The probability that a sentence with this embedding and these rule features is a fact. */
  public double probability(float[] embedding, double[] rules) {
    int d = dimension();
    if (embedding.length != d) {
      throw new IllegalArgumentException(
          "embedding has " + embedding.length + " dimensions, the weights " + d);
    }
    double z = bias;
    for (int i = 0; i < d; i++) {
      z += w[i] * embedding[i];
    }
    for (int i = 0; i < rules.length; i++) {
      z += w[d + i] * (rules[i] - mean[i]) / std[i];
    }
    return 1 / (1 + Math.exp(-z));
  }

  /**
   * The highest probability a sentence can have whatever the value of its rule feature {@code k} in
   * [{@code lo}, {@code hi}]: the logit is linear in it, so one of the two ends.
   */
  public double highest(float[] embedding, double[] rules, int k, double lo, double hi) {
    double[] at = rules.clone();
    at[k] = lo;
    double low = probability(embedding, at);
    at[k] = hi;
    return Math.max(low, probability(embedding, at));
  }

  /** The kind whose centroid is nearest (cosine), "project_fact" when no centroid is known. */
  public String kind(float[] embedding) {
    String best = "project_fact";
    double top = Double.NEGATIVE_INFINITY;
    for (Map.Entry<String, double[]> e : kinds.entrySet()) {
      double s = cosine(embedding, e.getValue());
      if (s > top) {
        top = s;
        best = e.getKey();
      }
    }
    return best;
  }

  /** Whether the fact holds everywhere (global) rather than in this project. */
  public boolean global(float[] embedding) {
    if (global == null || project == null) {
      return false;
    }
    return cosine(embedding, global) - cosine(embedding, project) > scopeMargin;
  }

  static double cosine(float[] a, double[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }
}
