package dev.omem.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.embed.ModelCatalog;
import dev.omem.embed.OnnxEmbedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The fit behind {@link SupersedePair} (docs/extraction/supersede-rule.md, session 22): pairs of
 * user sentences of ../shared/bench/extraction-dev.json (a said before b, one repository), the
 * labelled supersede pairs as positives, facts that must both stay and must-not items against facts
 * as negatives; a logistic regression over (cosine, overlap, cue word, change-likeness) fitted and
 * scored leave-one-repository-out beside the shipped session 21 rule on the same pairs.
 *
 * <p>Usage: {@code FitSupersedePair <extraction-dev.json> [<per-fold dir> [<shipped file>]]}.
 */
public final class FitSupersedePair {
  private FitSupersedePair() {}

  /** A user sentence (or a must-not item's text) in conversation order. */
  record Said(String repo, int conv, int seq, String text, Set<Integer> facts, boolean mustNot) {}

  /** A pair (a said before b) with its label. */
  record Example(String repo, int a, int b, boolean positive) {}

  static final double LAMBDA = 1.0;
  static final int STEPS = 2000;

  /**
   * Whether a pair whose sentences state a common labelled fact is a negative (step 2 of the rule:
   * a restatement supports, never retires); step 1 left such pairs out ({@code
   * -Dfit.restatements=0}).
   */
  static final boolean RESTATEMENTS = !"0".equals(System.getProperty("fit.restatements"));

  public static void main(String[] args) throws Exception {
    JsonNode root = new ObjectMapper().readTree(Path.of(args[0]).toFile());
    List<String> factRepo = new ArrayList<>();
    List<List<String>> musts = new ArrayList<>();
    Map<String, Integer> factByText = new HashMap<>();
    Map<String, Integer> convIndex = new HashMap<>();
    List<JsonNode> convs = new ArrayList<>();
    root.get("conversations").forEach(convs::add);
    for (int ci = 0; ci < convs.size(); ci++) {
      JsonNode c = convs.get(ci);
      convIndex.put(c.get("id").asText(), ci);
      String repo = c.get("source").asText().split(" ")[0];
      for (JsonNode f : c.get("facts")) {
        List<String> m = new ArrayList<>();
        f.get("must_match").forEach(x -> m.add(x.asText()));
        factByText.put(f.get("text").asText(), musts.size());
        factRepo.add(repo);
        musts.add(m);
      }
    }
    List<Said> said = new ArrayList<>();
    for (int ci = 0; ci < convs.size(); ci++) {
      JsonNode c = convs.get(ci);
      String repo = c.get("source").asText().split(" ")[0];
      int seq = 0;
      for (JsonNode msg : c.get("messages")) {
        if (!msg.get("role").asText().equals("user")) {
          continue;
        }
        for (String s : SentenceSplitter.split(msg.get("content").asText())) {
          Set<Integer> st = new LinkedHashSet<>();
          for (int id = 0; id < musts.size(); id++) {
            if (factRepo.get(id).equals(repo) && FitRestatement.holds(s, musts.get(id))) {
              st.add(id);
            }
          }
          if (!st.isEmpty()) {
            said.add(new Said(repo, ci, seq, s, st, false));
          }
          seq++;
        }
      }
      for (JsonNode n : c.get("not_facts")) {
        said.add(new Said(repo, ci, Integer.MAX_VALUE, n.get("text").asText(), Set.of(), true));
      }
    }
    // The labelled pairs: (old fact, new fact, before conversation, after conversation).
    List<int[]> labelled = new ArrayList<>();
    Set<String> pairKeys = new HashSet<>();
    for (JsonNode p : root.get("supersede")) {
      int o = factByText.get(p.get("old_fact").asText());
      int n = factByText.get(p.get("new_fact").asText());
      labelled.add(
          new int[] {
            o, n, convIndex.get(p.get("before").asText()), convIndex.get(p.get("after").asText())
          });
      pairKeys.add(o + ":" + n);
      pairKeys.add(n + ":" + o);
    }
    List<Example> ex = examples(said, labelled, pairKeys);
    long positives = ex.stream().filter(Example::positive).count();
    System.out.printf(
        Locale.ROOT,
        "sentence pairs: %d positives, %d negatives%n",
        positives,
        ex.size() - positives);
    if (positives < 8) {
      // The rule's fallback, said before fitting: each pair's label texts are one positive more.
      for (JsonNode p : root.get("supersede")) {
        int o = factByText.get(p.get("old_fact").asText());
        int n = factByText.get(p.get("new_fact").asText());
        int bc = convIndex.get(p.get("before").asText());
        int ac = convIndex.get(p.get("after").asText());
        said.add(new Said(factRepo.get(o), bc, -1, p.get("old_fact").asText(), Set.of(o), false));
        said.add(new Said(factRepo.get(n), ac, -1, p.get("new_fact").asText(), Set.of(n), false));
        ex.add(new Example(factRepo.get(o), said.size() - 2, said.size() - 1, true));
      }
      positives = ex.stream().filter(Example::positive).count();
      System.out.printf(Locale.ROOT, "with the label texts: %d positives%n", positives);
    }
    List<float[]> v;
    try (OnnxEmbedder e = OnnxEmbedder.load(ModelCatalog.DEFAULT)) {
      v = e.embedDocuments(said.stream().map(Said::text).toList());
    }
    // The new-fact sentences of the positives (for the change centroid) and all fact sentences.
    Set<String> repos = new LinkedHashSet<>(ex.stream().map(Example::repo).toList());
    int tp = 0;
    int p = 0;
    int fp = 0;
    int n = 0;
    int stp = 0;
    int sfp = 0;
    for (String r : repos) {
      SupersedePair m = fit(said, v, ex, r);
      int[] c = score(m, said, v, ex, r);
      int[] s = shippedRule(said, v, ex, r);
      tp += c[0];
      p += c[1];
      fp += c[2];
      n += c[3];
      stp += s[0];
      sfp += s[2];
      System.out.printf(
          Locale.ROOT,
          "without %s: T %.2f; left out: positives %d/%d, negatives %d/%d (shipped rule: %d/%d, %d/%d)%n",
          r,
          m.threshold(),
          c[0],
          c[1],
          c[2],
          c[3],
          s[0],
          s[1],
          s[2],
          s[3]);
      if (args.length > 1) {
        Files.createDirectories(Path.of(args[1]));
        Files.writeString(Path.of(args[1], r.replace("/", "__") + ".txt"), m.write());
      }
    }
    System.out.printf(
        Locale.ROOT,
        "leave-one-repository-out: positives %d/%d, negatives %d/%d; shipped rule: positives %d/%d, negatives %d/%d%n",
        tp,
        p,
        fp,
        n,
        stp,
        p,
        sfp,
        n);
    SupersedePair all = fit(said, v, ex, null);
    System.out.print(
        all.write()
            .lines()
            .filter(l -> !l.startsWith("change"))
            .reduce("", (a, b) -> a + b + "\n"));
    if (args.length > 2) {
      Files.writeString(Path.of(args[2]), all.write());
    }
    if (args.length > 1) {
      // Every repository of the data gets a file: those without pairs get the all-data fit
      // (none of their pairs were in it: they hold no positives, and their negatives are few).
      for (JsonNode c : convs) {
        String r = c.get("source").asText().split(" ")[0];
        Path f = Path.of(args[1], r.replace("/", "__") + ".txt");
        if (!Files.exists(f)) {
          Files.writeString(f, fit(said, v, ex, r).write());
        }
      }
    }
  }

  static List<Example> examples(List<Said> said, List<int[]> labelled, Set<String> pairKeys) {
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < said.size(); i++) {
      Said a = said.get(i);
      if (a.mustNot()) {
        continue;
      }
      for (int j = 0; j < said.size(); j++) {
        Said b = said.get(j);
        if (i == j || !a.repo().equals(b.repo())) {
          continue;
        }
        boolean positive = false;
        for (int[] l : labelled) {
          positive |=
              a.conv() == l[2]
                  && b.conv() == l[3]
                  && a.facts().contains(l[0])
                  && b.facts().contains(l[1]);
        }
        if (positive) {
          out.add(new Example(a.repo(), i, j, true));
          continue;
        }
        if (b.mustNot()) {
          if (b.conv() >= a.conv()) {
            out.add(new Example(a.repo(), i, j, false));
          }
          continue;
        }
        boolean after = b.conv() > a.conv() || b.conv() == a.conv() && b.seq() > a.seq();
        if (!after || a.text().equals(b.text())) {
          continue;
        }
        boolean shared = a.facts().stream().anyMatch(b.facts()::contains);
        boolean paired = false;
        for (int f : a.facts()) {
          for (int g : b.facts()) {
            paired |= pairKeys.contains(f + ":" + g);
          }
        }
        if (!paired && (!shared || RESTATEMENTS)) {
          out.add(new Example(a.repo(), i, j, false));
        }
      }
    }
    return out;
  }

  static double[] features(List<Said> said, List<float[]> v, Example e, float[] change) {
    String a = said.get(e.a()).text();
    String b = said.get(e.b()).text();
    return SupersedePair.features(
        FitExtraction.dot(v.get(e.a()), v.get(e.b())),
        FactText.overlap(a, b),
        b,
        v.get(e.b()),
        change);
  }

  /**
   * The change direction: unit centroid of the positives' new sentences minus that of all facts.
   */
  static float[] change(List<Said> said, List<float[]> v, List<Example> train) {
    int dim = v.get(0).length;
    double[] pos = new double[dim];
    double[] all = new double[dim];
    Set<Integer> newOnes = new HashSet<>();
    Set<Integer> facts = new HashSet<>();
    for (Example e : train) {
      if (e.positive()) {
        newOnes.add(e.b());
      }
      facts.add(e.a());
      if (!said.get(e.b()).mustNot()) {
        facts.add(e.b());
      }
    }
    newOnes.forEach(i -> add(pos, v.get(i)));
    facts.forEach(i -> add(all, v.get(i)));
    unit(pos);
    unit(all);
    float[] d = new float[dim];
    for (int i = 0; i < dim; i++) {
      d[i] = (float) (pos[i] - all[i]);
    }
    return d;
  }

  private static void add(double[] s, float[] x) {
    for (int i = 0; i < s.length; i++) {
      s[i] += x[i];
    }
  }

  private static void unit(double[] s) {
    double norm = 0;
    for (double x : s) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < s.length && norm > 0; i++) {
      s[i] /= norm;
    }
  }

  /** The model fitted on every repository but {@code left} (all of them when null). */
  static SupersedePair fit(List<Said> said, List<float[]> v, List<Example> ex, String left) {
    List<Example> train = ex.stream().filter(e -> !e.repo().equals(left)).toList();
    float[] d = change(said, v, train);
    int k = SupersedePair.COUNT;
    double[][] x = new double[train.size()][];
    double[] y = new double[train.size()];
    for (int i = 0; i < train.size(); i++) {
      x[i] = features(said, v, train.get(i), d);
      y[i] = train.get(i).positive() ? 1 : 0;
    }
    double[] mean = new double[k];
    double[] std = new double[k];
    for (double[] r : x) {
      for (int j = 0; j < k; j++) {
        mean[j] += r[j] / x.length;
      }
    }
    for (double[] r : x) {
      for (int j = 0; j < k; j++) {
        std[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / x.length;
      }
    }
    for (int j = 0; j < k; j++) {
      std[j] = Math.max(1e-6, Math.sqrt(std[j]));
    }
    long np = train.stream().filter(Example::positive).count();
    long nn = train.size() - np;
    // Each class's total weight is half of all examples (classes weighted to equal total weight).
    double wp = train.size() / 2.0 / np;
    double wn = train.size() / 2.0 / nn;
    double[] w = new double[k];
    double bias = 0;
    double lr = 0.5;
    for (int step = 0; step < STEPS; step++) {
      double[] g = new double[k];
      double gb = 0;
      for (int i = 0; i < x.length; i++) {
        double z = bias;
        for (int j = 0; j < k; j++) {
          z += w[j] * (x[i][j] - mean[j]) / std[j];
        }
        double err = (1 / (1 + Math.exp(-z)) - y[i]) * (y[i] == 1 ? wp : wn);
        for (int j = 0; j < k; j++) {
          g[j] += err * (x[i][j] - mean[j]) / std[j];
        }
        gb += err;
      }
      for (int j = 0; j < k; j++) {
        w[j] -= lr * (g[j] + LAMBDA * w[j]) / x.length;
      }
      bias -= lr * gb / x.length;
    }
    SupersedePair raw = new SupersedePair(0.5, bias, mean, std, w, d);
    // T: the lowest grid value whose negative rate is no more than the shipped rule's.
    int[] s = shippedCounts(said, v, train);
    double shippedRate = (double) s[2] / Math.max(1, s[3]);
    double best = 0.95;
    int fewest = Integer.MAX_VALUE;
    for (int t = 1; t <= 19; t++) {
      double th = 0.05 * t;
      int wrong = 0;
      for (int i = 0; i < x.length; i++) {
        wrong += y[i] == 0 && raw.probability(x[i]) >= th ? 1 : 0;
      }
      if ((double) wrong / nn <= shippedRate + 1e-12) {
        best = th;
        break;
      }
      if (wrong < fewest) {
        fewest = wrong;
        best = th;
      }
    }
    return new SupersedePair(best, bias, mean, std, w, d);
  }

  /** Positives joined, positives, negatives joined, negatives of repository {@code r}. */
  static int[] score(
      SupersedePair m, List<Said> said, List<float[]> v, List<Example> ex, String r) {
    int[] c = new int[4];
    float[] d = changeOf(m);
    for (Example e : ex) {
      if (e.repo().equals(r)) {
        boolean joined = m.probability(features(said, v, e, d)) >= m.threshold();
        int at = e.positive() ? 0 : 2;
        c[at] += joined ? 1 : 0;
        c[at + 1]++;
      }
    }
    return c;
  }

  private static float[] changeOf(SupersedePair m) {
    String[] line =
        m.write().lines().filter(l -> l.startsWith("change ")).findFirst().orElseThrow().split(" ");
    float[] d = new float[line.length - 1];
    for (int i = 1; i < line.length; i++) {
      d[i - 1] = Float.parseFloat(line[i]);
    }
    return d;
  }

  static int[] shippedRule(List<Said> said, List<float[]> v, List<Example> ex, String r) {
    return shippedCounts(said, v, ex.stream().filter(e -> e.repo().equals(r)).toList());
  }

  /** The session 21 rule (cue, cosine >= 0.725, overlap >= 0.225) on these examples. */
  static int[] shippedCounts(List<Said> said, List<float[]> v, List<Example> ex) {
    int[] c = new int[4];
    for (Example e : ex) {
      String a = said.get(e.a()).text();
      String b = said.get(e.b()).text();
      boolean joined =
          FactText.announcesChange(b)
              && FitExtraction.dot(v.get(e.a()), v.get(e.b())) >= Reconciler.CHANGED_TOPIC
              && FactText.overlap(a, b) >= Reconciler.CHANGED_SUBJECT;
      int at = e.positive() ? 0 : 2;
      c[at] += joined ? 1 : 0;
      c[at + 1]++;
    }
    return c;
  }
}
