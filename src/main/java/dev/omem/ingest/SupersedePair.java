package dev.omem.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The learned same-slot decision (issue 14): whether an extracted fact replaces the stored memory
 * nearest to it, from four features of the pair: the model's cosine, the content-word overlap, the
 * change cue word ({@link FactText#announcesChange}) and how much the fact's own vector reads as a
 * change of mind (its dot product with {@code change}, the difference of two unit centroids: the
 * sentences that state a changed choice and all sentences that state a fact). A logistic regression
 * fitted by leave-one-repository-out on ../shared/bench/extraction-dev.json ({@code
 * FitSupersedePair}; docs/extraction/supersede-rule.md, session 22); it learns a change of mind
 * without a cue word and a cue word inside a clause that changes nothing.
 *
 * <p>Text format, one line per entry: {@code threshold t}, {@code bias b}, {@code mean m1..m4},
 * {@code std s1..s4}, {@code w w1..w4}, {@code change d1..d384}.
 */
public final class SupersedePair {
  /** The shipped weights, a resource beside this class. */
  public static final String RESOURCE = "supersede-pair.txt";

  /** The setting that loads other weights (leave-one-repository-out runs of the benchmark). */
  public static final String WEIGHTS_ENV = "OMEM_SUPERSEDE_WEIGHTS";

  /** Features per pair. */
  public static final int COUNT = 4;

  private static final class Shipped {
    static final SupersedePair MODEL = load();
  }

  private final double threshold;
  private final double bias;
  private final double[] mean;
  private final double[] std;
  private final double[] w;
  private final float[] change;

  /** A model from its parts (the fit builds one this way before writing it). */
  public SupersedePair(
      double threshold, double bias, double[] mean, double[] std, double[] w, float[] change) {
    if (mean.length != COUNT || std.length != COUNT || w.length != COUNT) {
      throw new IllegalArgumentException("expected " + COUNT + " features");
    }
    this.threshold = threshold;
    this.bias = bias;
    this.mean = mean.clone();
    this.std = std.clone();
    this.w = w.clone();
    this.change = change.clone();
  }

  /** The model in use: read once, from {@code OMEM_SUPERSEDE_WEIGHTS} when set. */
  public static SupersedePair get() {
    return Shipped.MODEL;
  }

  /** The features of (stored memory, new fact): cosine, overlap, cue word, change-likeness. */
  public static double[] features(
      double cosine, double overlap, String fact, float[] factVector, float[] change) {
    double like = 0;
    for (int i = 0; i < change.length && i < factVector.length; i++) {
      like += factVector[i] * change[i];
    }
    return new double[] {cosine, overlap, FactText.announcesChange(fact) ? 1 : 0, like};
  }

  /** The probability that {@code fact} (with its vector) replaces the stored memory it is near. */
  public double probability(double cosine, double overlap, String fact, float[] factVector) {
    return probability(features(cosine, overlap, fact, factVector, change));
  }

  /** The probability for features already computed ({@link #features}). */
  public double probability(double[] x) {
    double z = bias;
    for (int i = 0; i < COUNT; i++) {
      z += w[i] * (x[i] - mean[i]) / std[i];
    }
    return 1 / (1 + Math.exp(-z));
  }

  /** Whether the pair is one changed choice: the new fact replaces the stored one. */
  public boolean replaces(double cosine, double overlap, String fact, float[] factVector) {
    return probability(cosine, overlap, fact, factVector) >= threshold;
  }

  /** The decision threshold on the probability. */
  public double threshold() {
    return threshold;
  }

  /** The weights as the text format reads them. */
  public String write() {
    StringBuilder b = new StringBuilder();
    b.append("# SupersedePair (FitSupersedePair); docs/extraction/supersede-rule.md\n");
    b.append("threshold ").append(threshold).append('\n');
    b.append("bias ").append(bias).append('\n');
    line(b, "mean", mean);
    line(b, "std", std);
    line(b, "w", w);
    b.append("change");
    for (float x : change) {
      b.append(' ').append(x);
    }
    return b.append('\n').toString();
  }

  private static void line(StringBuilder b, String key, double[] xs) {
    b.append(key);
    for (double x : xs) {
      b.append(' ').append(x);
    }
    b.append('\n');
  }

  static SupersedePair load() {
    String file = System.getenv(WEIGHTS_ENV);
    if (file != null && !file.isBlank()) {
      try (InputStream in = Files.newInputStream(Path.of(file.trim()))) {
        return read(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + WEIGHTS_ENV + "=" + file, e);
      }
    }
    try (InputStream in = SupersedePair.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      return read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads the text format described above; a missing line is an error. */
  public static SupersedePair read(InputStream in) throws IOException {
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
    double[] d = need(v, "change");
    float[] change = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      change[i] = (float) d[i];
    }
    return new SupersedePair(
        need(v, "threshold")[0],
        need(v, "bias")[0],
        need(v, "mean"),
        need(v, "std"),
        need(v, "w"),
        change);
  }

  private static double[] need(Map<String, double[]> v, String key) throws IOException {
    double[] xs = v.get(key);
    if (xs == null || xs.length == 0) {
      throw new IOException("supersede weights: no " + key);
    }
    return xs;
  }
}
