package dev.omem.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.bench.RelevanceFit.Metrics;
import dev.omem.bench.RelevanceFit.Pair;
import dev.omem.bench.RelevanceFit.Prompt;
import dev.omem.bench.RelevanceFit.Scored;
import dev.omem.embed.ModelCatalog;
import dev.omem.embed.OnnxEmbedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures candidate features that are not (yet) in the pipeline against the shipped feature set,
 * by the same nested leave-one-project-out protocol as {@link RelevanceFit}: token-level late
 * interaction with the shipped bge model's token vectors (ColBERT's max-sim of query tokens over
 * memory tokens), joined to the cached pairs by (prompt, memory). Reports, left-out: the
 * prompt-level separation (AUC of a prompt's best probability, answerable against unrelated), the
 * pair AUC, the ranking without floor, and the thresholded figures at the threshold rule.
 *
 * <p>With {@code --second e5|minilm} (that model's artifact on the class path) it measures a second
 * embedding model's cosines instead (e5-small-v2 with its "query: "/"passage: " prefixes). Figures
 * and the commands: BENCHMARKS.md, "Session 9".
 *
 * <p>Run: java -cp target/classes:target/test-classes:target/omem.jar[:model jar]
 * dev.omem.bench.LateInteractionFit --cache target/s9/pairs-v3.tsv [--second e5]
 */
public final class LateInteractionFit {
  private static final double[] LAMBDAS = {0.1, 1, 10, 100, 1000};

  private LateInteractionFit() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = RelevanceFit.options(args);
    Path cache = Path.of(o.get("cache"));
    Path data = Path.of(o.getOrDefault("data", "../shared/bench/coding-recall-dev.json"));
    List<Prompt> prompts = RelevanceFit.readCachePublic(cache);
    List<String[]> ids = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(cache + ".ids"))) {
      ids.add(line.split("\t", -1));
    }
    JsonNode root = new ObjectMapper().readTree(data.toFile());
    List<String> promptText = new ArrayList<>();
    Map<String, String> memoryText = new HashMap<>();
    for (JsonNode project : root.get("projects")) {
      String pid = project.get("id").asText();
      for (JsonNode m : project.get("memories")) {
        memoryText.put(pid + "/" + m.get("id").asText(), m.get("text").asText());
      }
      for (JsonNode q : project.get("prompts")) {
        promptText.add(q.get("text").asText());
      }
    }
    if (promptText.size() != prompts.size()) {
      throw new IllegalStateException(promptText.size() + " prompts vs " + prompts.size());
    }
    // Token vectors: each memory and prompt once.
    Map<String, float[][]> tokens = new HashMap<>();
    long t0 = System.nanoTime();
    try (OnnxEmbedder e = OnnxEmbedder.load(ModelCatalog.DEFAULT)) {
      for (var en : memoryText.entrySet()) {
        tokens.put("M" + en.getKey(), e.tokenVectors(en.getValue()));
      }
      for (int i = 0; i < promptText.size(); i++) {
        tokens.put("Q" + i, e.tokenVectors(promptText.get(i)));
      }
    }
    System.err.printf(Locale.ROOT, "token vectors in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    // Extra features per pair, in the cache's pair order.
    int k = 0;
    List<Prompt> withLi = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      Prompt q = prompts.get(i);
      float[][] qt = tokens.get("Q" + i);
      List<Pair> pairs = new ArrayList<>();
      double[] raw = new double[q.pairs().size()];
      for (int j = 0; j < q.pairs().size(); j++, k++) {
        String[] id = ids.get(k);
        if (Integer.parseInt(id[1]) != i) {
          throw new IllegalStateException("ids out of step at " + k);
        }
        raw[j] = maxSim(qt, tokens.get("M" + id[0] + "/" + id[2]));
      }
      double best = 0;
      double mean10 = 0;
      double[] sorted = raw.clone();
      java.util.Arrays.sort(sorted);
      best = sorted.length == 0 ? 0 : sorted[sorted.length - 1];
      int top = Math.min(10, sorted.length);
      for (int j = 0; j < top; j++) {
        mean10 += sorted[sorted.length - 1 - j] / top;
      }
      for (int j = 0; j < q.pairs().size(); j++) {
        Pair p = q.pairs().get(j);
        double[] x = java.util.Arrays.copyOf(p.x(), p.x().length + 3);
        x[p.x().length] = raw[j];
        x[p.x().length + 1] = raw[j] - best;
        x[p.x().length + 2] = raw[j] - mean10;
        pairs.add(new Pair(p.relevant(), x, p.memory()));
      }
      withLi.add(new Prompt(q.project(), q.answerable(), q.relevantCount(), pairs));
    }
    List<String> names = RelevanceFit.featureNamesPublic();
    int n = names.size();
    if (o.containsKey("second")) {
      withLi = secondModel(o.get("second"), withLi, ids, promptText, memoryText);
      int[] base2 = cols(names, RelevanceFit.FEATURE_SETS.get("base+local"));
      report("base+local (shipped)", withLi, base2);
      report(
          "base+local + " + o.get("second") + " cosines (3 features)",
          withLi,
          append(base2, n + 3, n + 4, n + 5));
      report(
          "base+local + late interaction + " + o.get("second"),
          withLi,
          append(base2, n, n + 1, n + 2, n + 3, n + 4, n + 5));
      return;
    }
    int[] base = cols(names, RelevanceFit.FEATURE_SETS.get("base+local"));
    int[] li = append(base, n, n + 1, n + 2);
    int[] liOnly = append(base, n);
    report("base+local (shipped)", withLi, base);
    report("base+local + late interaction (3 features)", withLi, li);
    report("base+local + late interaction (raw max-sim)", withLi, liOnly);
  }

  /** e5-small-v2 (int8): mean pooling, "query: " and "passage: " prefixes per its model card. */
  static final dev.omem.embed.ModelSpec E5_SMALL_V2_Q =
      new dev.omem.embed.ModelSpec(
          "e5-small-v2-q",
          "e5-small-v2-q.onnx",
          "e5-small-v2-q-tokenizer.json",
          dev.omem.embed.Pooling.MEAN,
          384,
          512,
          "query: ");

  /** A second model's cosine per pair, and against the prompt's best and ten best candidates. */
  static List<Prompt> secondModel(
      String which,
      List<Prompt> prompts,
      List<String[]> ids,
      List<String> promptText,
      Map<String, String> memoryText) {
    dev.omem.embed.ModelSpec spec =
        which.equals("e5") ? E5_SMALL_V2_Q : ModelCatalog.ALL_MINILM_L6_V2_Q;
    String docPrefix = which.equals("e5") ? "passage: " : "";
    Map<String, float[]> vec = new HashMap<>();
    long t0 = System.nanoTime();
    try (OnnxEmbedder e = OnnxEmbedder.load(spec)) {
      for (var en : memoryText.entrySet()) {
        vec.put("M" + en.getKey(), e.embedDocuments(List.of(docPrefix + en.getValue())).get(0));
      }
      for (int i = 0; i < promptText.size(); i++) {
        vec.put("Q" + i, e.embedQuery(promptText.get(i)));
      }
    }
    System.err.printf(Locale.ROOT, "%s vectors in %.1f s%n", which, (System.nanoTime() - t0) / 1e9);
    List<Prompt> out = new ArrayList<>();
    int k = 0;
    for (int i = 0; i < prompts.size(); i++) {
      Prompt q = prompts.get(i);
      float[] qv = vec.get("Q" + i);
      double[] c = new double[q.pairs().size()];
      for (int j = 0; j < c.length; j++, k++) {
        float[] mv = vec.get("M" + ids.get(k)[0] + "/" + ids.get(k)[2]);
        for (int d = 0; d < qv.length; d++) {
          c[j] += qv[d] * mv[d];
        }
      }
      double[] sorted = c.clone();
      java.util.Arrays.sort(sorted);
      double best = sorted.length == 0 ? 0 : sorted[sorted.length - 1];
      int top = Math.min(10, sorted.length);
      double mean10 = 0;
      for (int j = 0; j < top; j++) {
        mean10 += sorted[sorted.length - 1 - j] / top;
      }
      List<Pair> pairs = new ArrayList<>();
      for (int j = 0; j < c.length; j++) {
        Pair p = q.pairs().get(j);
        double[] x = java.util.Arrays.copyOf(p.x(), p.x().length + 3);
        x[p.x().length] = c[j];
        x[p.x().length + 1] = c[j] - best;
        x[p.x().length + 2] = c[j] - mean10;
        pairs.add(new Pair(p.relevant(), x, p.memory()));
      }
      out.add(new Prompt(q.project(), q.answerable(), q.relevantCount(), pairs));
    }
    return out;
  }

  static int[] cols(List<String> names, List<String> set) {
    return set.stream().mapToInt(names::indexOf).toArray();
  }

  static int[] append(int[] a, int... more) {
    int[] out = java.util.Arrays.copyOf(a, a.length + more.length);
    System.arraycopy(more, 0, out, a.length, more.length);
    return out;
  }

  /** ColBERT's score: each query token's best cosine among the memory's tokens, averaged. */
  static double maxSim(float[][] q, float[][] m) {
    if (q.length == 0 || m.length == 0) {
      return 0;
    }
    double sum = 0;
    for (float[] a : q) {
      double best = -1;
      for (float[] b : m) {
        double c = 0;
        for (int d = 0; d < a.length; d++) {
          c += a[d] * b[d];
        }
        best = Math.max(best, c);
      }
      sum += best;
    }
    return sum / q.length;
  }

  record Model(double[] mean, double[] scale, double[] w, int[] cols) {
    double p(double[] x) {
      double z = w[0];
      for (int j = 0; j < cols.length; j++) {
        z += w[j + 1] * (x[cols[j]] - mean[j]) / scale[j];
      }
      return LogisticRegression.sigmoid(z);
    }
  }

  /** Every pair of {@code train}: its features {@code cols}, and whether it is relevant. */
  record Matrix(double[][] x, boolean[] y) {}

  static Matrix matrix(List<Prompt> train, int[] cols) {
    List<Pair> pairs = train.stream().flatMap(q -> q.pairs().stream()).toList();
    double[][] x = new double[pairs.size()][cols.length];
    boolean[] y = new boolean[pairs.size()];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < cols.length; j++) {
        x[i][j] = pairs.get(i).x()[cols[j]];
      }
      y[i] = pairs.get(i).relevant();
    }
    return new Matrix(x, y);
  }

  static Model fit(List<Prompt> train, int[] cols, double lambda) {
    Matrix m = matrix(train, cols);
    double[][] ms = LogisticRegression.standardisation(m.x());
    return new Model(
        ms[0], ms[1], LogisticRegression.fit(m.x(), m.y(), ms[0], ms[1], lambda), cols);
  }

  static Scored score(Model m, Prompt q) {
    return new Scored(q, q.pairs().stream().mapToDouble(p -> m.p(p.x())).toArray());
  }

  /** λ by inner LOPO log loss; returns the model fitted on all of train and the inner scores. */
  record Fold(Model model, List<Scored> inner) {}

  static Fold fold(List<Prompt> train, int[] cols) {
    List<String> projects = train.stream().map(Prompt::project).distinct().sorted().toList();
    double bestLoss = Double.POSITIVE_INFINITY;
    double bestLambda = 10;
    List<Scored> bestInner = null;
    for (double lambda : LAMBDAS) {
      List<Scored> inner = new ArrayList<>();
      for (String p : projects) {
        Model m = fit(train.stream().filter(q -> !q.project().equals(p)).toList(), cols, lambda);
        for (Prompt q : train) {
          if (q.project().equals(p)) {
            inner.add(score(m, q));
          }
        }
      }
      double loss = RelevanceProbe.logLoss(inner);
      if (loss < bestLoss) {
        bestLoss = loss;
        bestLambda = lambda;
        bestInner = inner;
      }
    }
    return new Fold(fit(train, cols, bestLambda), bestInner);
  }

  static void report(String label, List<Prompt> prompts, int[] cols) {
    List<String> projects = prompts.stream().map(Prompt::project).distinct().sorted().toList();
    List<Scored> leftOut = new ArrayList<>();
    List<Metrics> per = new ArrayList<>();
    for (String p : projects) {
      List<Prompt> train = prompts.stream().filter(q -> !q.project().equals(p)).toList();
      Fold f = fold(train, cols);
      double hook = RelevanceFit.hookThreshold(f.inner());
      double floor = RelevanceFit.searchFloor(f.inner());
      List<Scored> mine = new ArrayList<>();
      for (Prompt q : prompts) {
        if (q.project().equals(p)) {
          mine.add(score(f.model(), q));
        }
      }
      leftOut.addAll(mine);
      per.add(Metrics.of(mine, hook, floor));
    }
    print(label, leftOut, per);
  }

  /** One row: the left-out separations, the ranking without floor, the thresholded figures. */
  static void print(String label, List<Scored> leftOut, List<Metrics> per) {
    Metrics all = Metrics.pooled(per);
    Metrics unfloored = Metrics.of(leftOut, 1.01, 0);
    System.out.printf(
        Locale.ROOT,
        "| %s | %.3f | %.3f | %.3f / %.3f | %.3f | %.3f (%d) | %.3f | %.3f | %.3f | %.3f |%n",
        label,
        promptAuc(leftOut),
        pairAuc(leftOut),
        unfloored.recall5(),
        unfloored.mrr(),
        all.hit(),
        all.precision(),
        all.injected(),
        all.quiet(),
        all.recall5(),
        all.mrr(),
        all.abstention());
  }

  /** AUC of a prompt's best probability: answerable prompts against unrelated ones. */
  static double promptAuc(List<Scored> s) {
    List<Double> pos = new ArrayList<>();
    List<Double> neg = new ArrayList<>();
    for (Scored x : s) {
      double best = 0;
      for (double v : x.p()) {
        best = Math.max(best, v);
      }
      (x.prompt().answerable() ? pos : neg).add(best);
    }
    return auc(pos, neg);
  }

  /** AUC over pairs: relevant pairs against the rest (within and across prompts). */
  static double pairAuc(List<Scored> s) {
    List<Double> pos = new ArrayList<>();
    List<Double> neg = new ArrayList<>();
    for (Scored x : s) {
      for (int i = 0; i < x.p().length; i++) {
        (x.prompt().pairs().get(i).relevant() ? pos : neg).add(x.p()[i]);
      }
    }
    return auc(pos, neg);
  }

  static double auc(List<Double> pos, List<Double> neg) {
    double[] n = neg.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double sum = 0;
    for (double p : pos) {
      int lo = lowerBound(n, p);
      int hi = upperBound(n, p);
      sum += lo + 0.5 * (hi - lo);
    }
    return sum / ((double) pos.size() * n.length);
  }

  private static int lowerBound(double[] a, double v) {
    int lo = 0, hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private static int upperBound(double[] a, double v) {
    int lo = 0, hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] <= v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
