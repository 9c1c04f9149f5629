package dev.omem.bench;

import dev.omem.embed.ModelCatalog;
import dev.omem.embed.OnnxEmbedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Session 13 probe (issue 13, docs/relevance/threshold-rule.md "Session 13"): a learned adapter
 * over the shipped model's vectors, score = qᵀ(I + A)d with A diagonal or low rank, fitted with a
 * softmax ranking loss over each answerable prompt's candidates (every memory of its project), its
 * configuration and λ chosen by inner leave-one-project-out MRR, reported outer left-out: the
 * adapter's own ranking against the plain cosine's, then the adapter's score as a pair feature of
 * the relevance model (base+local, session 11's gate, thresholds by the rule), against the
 * baseline.
 *
 * <pre>java -Xmx2g -cp target/classes:target/test-classes:target/omem.jar dev.omem.bench.AdapterFit
 * --cache pairs.tsv --data ../shared/bench/coding-recall-dev.json</pre>
 *
 * The cache is RelevanceFit's (with its .ids file, written when it was collected).
 */
public final class AdapterFit {
  private AdapterFit() {}

  /** Softmax temperature: the lane's cosines span ~0.3, so 20 spreads them over ~6 nats. */
  private static final double TAU = 20;

  /**
   * The column that carries the adapter's score into RelevanceFit's set "base+local+adapter": one
   * base+local does not read (a probe's carrier, not a feature the pipeline computes).
   */
  static final String CARRIER = "memory_hubness";

  /** RelevanceFit's feature set with the carrier (never among its default choices). */
  static final String SET = "base+local+adapter";

  private static final int EPOCHS = 100;
  private static final double LR = 0.02;

  /**
   * The inner cross-validation leaves whole projects out in this many groups, not one by one: CPU
   * on a machine at load 30 (as session 11's MLP; docs/relevance/threshold-rule.md, amended before
   * any result).
   */
  private static final int INNER_GROUPS = 4;

  /** One configuration: rank 0 with diag false is the identity (the plain cosine). */
  record Config(boolean diag, int rank, double lambda) {
    String name() {
      if (!diag && rank == 0) {
        return "identity";
      }
      return (diag ? "diag" : "rank" + rank) + " λ" + lambda;
    }
  }

  static final List<Config> CONFIGS = configs();

  private static List<Config> configs() {
    List<Config> c = new ArrayList<>();
    c.add(new Config(false, 0, 0));
    for (double l : new double[] {0.01, 0.1, 1}) {
      c.add(new Config(true, 0, l));
      c.add(new Config(false, 4, l));
      c.add(new Config(false, 16, l));
    }
    return List.copyOf(c);
  }

  /** An adapter: diagonal a (or null), and U, V (dim × rank, or null). */
  record Adapter(double[] a, double[][] u, double[][] v) {
    double score(float[] q, float[] d) {
      double s = 0;
      for (int k = 0; k < q.length; k++) {
        s += q[k] * d[k] * (1 + (a == null ? 0 : a[k]));
      }
      if (u != null) {
        int r = u[0].length;
        for (int j = 0; j < r; j++) {
          double uq = 0;
          double vd = 0;
          for (int k = 0; k < q.length; k++) {
            uq += u[k][j] * q[k];
            vd += v[k][j] * d[k];
          }
          s += uq * vd;
        }
      }
      return s;
    }
  }

  /** One prompt of the lane: its project, query vector, candidates (memory indexes), relevance. */
  record Q(String project, float[] q, int[] cand, boolean[] rel, boolean answerable) {}

  public static void main(String[] args) throws Exception {
    var o = RelevanceFit.options(args);
    Path cache = Path.of(o.get("cache"));
    Path data = Path.of(o.get("data"));
    List<RelevanceFit.Prompt> prompts = RelevanceFit.readCachePublic(cache);
    RelevanceProbe.Texts t = RelevanceProbe.Texts.read(data);
    // Memories: "project/id" → index, vectors embedded as the store embeds them (documents).
    List<String> memKeys = new ArrayList<>(t.memories().keySet());
    memKeys.sort(null);
    Map<String, Integer> memIndex = new HashMap<>();
    for (int i = 0; i < memKeys.size(); i++) {
      memIndex.put(memKeys.get(i), i);
    }
    float[][] mem = new float[memKeys.size()][];
    float[][] qv = new float[prompts.size()][];
    long t0 = System.nanoTime();
    try (OnnxEmbedder e = OnnxEmbedder.load(ModelCatalog.DEFAULT)) {
      for (int i = 0; i < memKeys.size(); i++) {
        mem[i] = e.embedDocuments(List.of(t.memories().get(memKeys.get(i)))).get(0);
      }
      for (int i = 0; i < prompts.size(); i++) {
        qv[i] = e.embedQuery(t.prompts().get(i));
      }
    }
    System.err.printf(Locale.ROOT, "adapter: embedded in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    // Each prompt's pairs' memories, from the .ids file (project, prompt index, memory id).
    List<List<Integer>> pairMem = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      pairMem.add(new ArrayList<>());
    }
    for (String line : Files.readAllLines(Path.of(cache + ".ids"))) {
      String[] f = line.split("\t", -1);
      pairMem.get(Integer.parseInt(f[1])).add(memIndex.get(f[0] + "/" + f[2]));
    }
    List<Q> qs = new ArrayList<>();
    double maxDiff = 0;
    int cosCol = RelevanceFit.featureNamesPublic().indexOf("cosine");
    for (int i = 0; i < prompts.size(); i++) {
      RelevanceFit.Prompt p = prompts.get(i);
      int[] cand = pairMem.get(i).stream().mapToInt(Integer::intValue).toArray();
      boolean[] rel = new boolean[cand.length];
      for (int j = 0; j < cand.length; j++) {
        rel[j] = p.pairs().get(j).relevant();
        maxDiff =
            Math.max(
                maxDiff,
                Math.abs(TokenMaxSimFit.dot(qv[i], mem[cand[j]]) - p.pairs().get(j).x()[cosCol]));
      }
      qs.add(new Q(p.project(), qv[i], cand, rel, p.answerable()));
    }
    // A check that these vectors are the store's: the pairs' cosine feature against q·d.
    System.out.printf(Locale.ROOT, "largest |q·d − cached cosine|: %.4f%n", maxDiff);
    List<String> projects = qs.stream().map(Q::project).distinct().sorted().toList();

    // Outer leave-one-project-out, the configuration by inner leave-one-project-out MRR.
    double[][] outer = new double[qs.size()][];
    Map<String, double[][]> innerOf = new LinkedHashMap<>();
    Map<String, Config> chosen = new LinkedHashMap<>();
    for (String p : projects) {
      long f0 = System.nanoTime();
      List<String> innerProjects = projects.stream().filter(x -> !x.equals(p)).toList();
      List<List<String>> inner = new ArrayList<>();
      for (int g = 0; g < INNER_GROUPS; g++) {
        inner.add(new ArrayList<>());
      }
      for (int k = 0; k < innerProjects.size(); k++) {
        inner.get(k % INNER_GROUPS).add(innerProjects.get(k));
      }
      double bestMrr = -1;
      Config best = null;
      double[][] bestInner = null;
      for (Config c : CONFIGS) {
        double[][] s = new double[qs.size()][];
        inner.parallelStream()
            .forEach(
                group -> {
                  Adapter a = train(qs, mem, x -> !x.equals(p) && !group.contains(x), c);
                  for (String ip : group) {
                    scoreInto(s, qs, mem, a, ip);
                  }
                });
        double m = ranking(qs, s, x -> !x.equals(p))[2];
        if (m > bestMrr + 1e-9) {
          bestMrr = m;
          best = c;
          bestInner = s;
        }
      }
      Adapter a = train(qs, mem, x -> !x.equals(p), best);
      scoreInto(outer, qs, mem, a, p);
      chosen.put(p, best);
      innerOf.put(p, bestInner);
      System.err.printf(
          Locale.ROOT,
          "adapter: fold %s: %s (inner MRR %.3f) in %.1f s%n",
          p,
          best.name(),
          bestMrr,
          (System.nanoTime() - f0) / 1e9);
    }
    double[][] cosine = new double[qs.size()][];
    for (String p : projects) {
      scoreInto(cosine, qs, mem, new Adapter(null, null, null), p);
    }
    double[] rc = ranking(qs, cosine, x -> true);
    double[] ra = ranking(qs, outer, x -> true);
    System.out.println("Chosen per fold: " + chosen.values().stream().map(Config::name).toList());
    System.out.println();
    System.out.println(
        "| ranking (every memory of the project, no floor) | first place | recall@5 | MRR |");
    System.out.println("|---|---:|---:|---:|");
    System.out.printf(Locale.ROOT, "| plain cosine | %.3f | %.3f | %.3f |%n", rc[0], rc[1], rc[2]);
    System.out.printf(
        Locale.ROOT, "| adapter, outer left-out | %.3f | %.3f | %.3f |%n", ra[0], ra[1], ra[2]);
    System.out.println();

    // The adapter's score as a pair feature: carried in a column base+local does not read.
    int carrier = RelevanceFit.featureNamesPublic().indexOf(CARRIER);
    RelevanceFit.GATE_SET_NAMES = List.of("s11");
    for (String set : List.of("base+local", SET)) {
      RelevanceFit.SETS = List.of(set);
      List<RelevanceFit.Scored> leftOut = new ArrayList<>();
      Map<String, RelevanceFit.Metrics> perProject = new LinkedHashMap<>();
      for (String p : projects) {
        double[][] in = innerOf.get(p);
        List<RelevanceFit.Prompt> withFeature = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
          double[] s = prompts.get(i).project().equals(p) ? outer[i] : in[i];
          withFeature.add(carry(prompts.get(i), s, carrier));
        }
        List<RelevanceFit.Prompt> train =
            withFeature.stream().filter(q -> !q.project().equals(p)).toList();
        RelevanceFit.Fold f = RelevanceFit.fold(train);
        List<RelevanceFit.Scored> mine = new ArrayList<>();
        for (RelevanceFit.Prompt q : withFeature) {
          if (q.project().equals(p)) {
            mine.add(new RelevanceFit.Scored(q, RelevanceFit.predict(f.model(), q)));
          }
        }
        leftOut.addAll(mine);
        perProject.put(
            p, RelevanceFit.Metrics.of(mine, f.model().hookThreshold(), f.model().searchFloor()));
      }
      RelevanceFit.Metrics all = RelevanceFit.Metrics.pooled(perProject.values());
      RelevanceFit.Metrics unfloored = RelevanceFit.Metrics.of(leftOut, 1.01, 0);
      System.out.printf(
          Locale.ROOT,
          "| %s | %.3f | %.3f / %.3f | %.3f | %.3f (%d) | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |%n",
          set,
          TokenMaxSimFit.firstPlace(leftOut),
          unfloored.recall5(),
          unfloored.mrr(),
          all.hit(),
          all.precision(),
          all.injected(),
          all.quiet(),
          all.recall5(),
          all.mrr(),
          all.abstention(),
          all.ece(),
          all.brier());
    }
  }

  private static RelevanceFit.Prompt carry(RelevanceFit.Prompt p, double[] s, int col) {
    List<RelevanceFit.Pair> pairs = new ArrayList<>();
    for (int j = 0; j < p.pairs().size(); j++) {
      RelevanceFit.Pair x = p.pairs().get(j);
      double[] v = x.x().clone();
      v[col] = s[j];
      pairs.add(new RelevanceFit.Pair(x.relevant(), v, x.memory()));
    }
    return new RelevanceFit.Prompt(p.project(), p.answerable(), p.relevantCount(), pairs);
  }

  private static void scoreInto(double[][] s, List<Q> qs, float[][] mem, Adapter a, String p) {
    for (int i = 0; i < qs.size(); i++) {
      Q q = qs.get(i);
      if (q.project().equals(p)) {
        s[i] = new double[q.cand().length];
        for (int j = 0; j < q.cand().length; j++) {
          s[i][j] = a.score(q.q(), mem[q.cand()[j]]);
        }
      }
    }
  }

  /** First-place rate, recall@5 and MRR over the answerable prompts of the projects taken. */
  static double[] ranking(List<Q> qs, double[][] s, java.util.function.Predicate<String> take) {
    double first = 0;
    double r5 = 0;
    double rr = 0;
    int n = 0;
    for (int i = 0; i < qs.size(); i++) {
      Q q = qs.get(i);
      if (!q.answerable() || !take.test(q.project())) {
        continue;
      }
      n++;
      Integer[] order = IntStream.range(0, s[i].length).boxed().toArray(Integer[]::new);
      double[] si = s[i];
      java.util.Arrays.sort(order, (x, y) -> Double.compare(si[y], si[x]));
      int total = 0;
      int in5 = 0;
      int firstRel = -1;
      for (int k = 0; k < order.length; k++) {
        if (q.rel()[order[k]]) {
          total++;
          if (k < 5) {
            in5++;
          }
          if (firstRel < 0) {
            firstRel = k;
          }
        }
      }
      if (firstRel == 0) {
        first++;
      }
      if (firstRel >= 0) {
        rr += 1.0 / (firstRel + 1);
      }
      r5 += total == 0 ? 0 : (double) in5 / total;
    }
    return new double[] {first / n, r5 / n, rr / n};
  }

  /** Fits an adapter on the answerable prompts of the projects {@code take} accepts. */
  static Adapter train(
      List<Q> qs, float[][] mem, java.util.function.Predicate<String> take, Config c) {
    if (!c.diag() && c.rank() == 0) {
      return new Adapter(null, null, null);
    }
    List<Q> tr = qs.stream().filter(q -> q.answerable() && take.test(q.project())).toList();
    int dim = mem[0].length;
    int r = c.rank();
    int size = c.diag() ? dim : 2 * dim * r;
    double[] th = new double[size];
    Random rnd = new Random(13);
    if (!c.diag()) {
      for (int i = 0; i < size; i++) {
        th[i] = rnd.nextGaussian() * 0.01;
      }
    }
    double[] m1 = new double[size];
    double[] m2 = new double[size];
    double b1 = 0.9;
    double b2 = 0.999;
    int n = tr.size();
    for (int ep = 1; ep <= EPOCHS; ep++) {
      double[] g = new double[size];
      // V's projections of every memory (low rank), once an epoch.
      double[][] vd = new double[mem.length][];
      double[][] coef = new double[mem.length][];
      for (Q q : tr) {
        double[] uq = null;
        if (!c.diag()) {
          uq = new double[r];
          for (int j = 0; j < r; j++) {
            double a = 0;
            for (int k = 0; k < dim; k++) {
              a += th[k * r + j] * q.q()[k];
            }
            uq[j] = a;
          }
        }
        int nc = q.cand().length;
        double[] s = new double[nc];
        for (int j = 0; j < nc; j++) {
          float[] d = mem[q.cand()[j]];
          double v = 0;
          if (c.diag()) {
            for (int k = 0; k < dim; k++) {
              v += q.q()[k] * d[k] * (1 + th[k]);
            }
          } else {
            double[] p = vd[q.cand()[j]];
            if (p == null) {
              p = new double[r];
              for (int jj = 0; jj < r; jj++) {
                double a = 0;
                for (int k = 0; k < dim; k++) {
                  a += th[dim * r + k * r + jj] * d[k];
                }
                p[jj] = a;
              }
              vd[q.cand()[j]] = p;
            }
            v = TokenMaxSimFit.dot(q.q(), d);
            for (int jj = 0; jj < r; jj++) {
              v += uq[jj] * p[jj];
            }
          }
          s[j] = TAU * v;
        }
        double mx = Double.NEGATIVE_INFINITY;
        for (double v : s) {
          mx = Math.max(mx, v);
        }
        double z = 0;
        double zr = 0;
        double[] e = new double[nc];
        for (int j = 0; j < nc; j++) {
          e[j] = Math.exp(s[j] - mx);
          z += e[j];
          if (q.rel()[j]) {
            zr += e[j];
          }
        }
        double[] w = new double[r];
        for (int j = 0; j < nc; j++) {
          double gj = (e[j] / z - (q.rel()[j] ? e[j] / zr : 0)) * TAU / n;
          if (gj == 0) {
            continue;
          }
          float[] d = mem[q.cand()[j]];
          if (c.diag()) {
            for (int k = 0; k < dim; k++) {
              g[k] += gj * q.q()[k] * d[k];
            }
          } else {
            double[] p = vd[q.cand()[j]];
            // dU[k][jj] += gj q_k vd_jj (summed over j first); dV per memory: coef[m][jj] += gj
            // uq_jj.
            for (int jj = 0; jj < r; jj++) {
              w[jj] += gj * p[jj];
            }
            double[] cm = coef[q.cand()[j]];
            if (cm == null) {
              cm = new double[r];
              coef[q.cand()[j]] = cm;
            }
            for (int jj = 0; jj < r; jj++) {
              cm[jj] += gj * uq[jj];
            }
          }
        }
        if (!c.diag()) {
          for (int k = 0; k < dim; k++) {
            double qk = q.q()[k];
            for (int jj = 0; jj < r; jj++) {
              g[k * r + jj] += qk * w[jj];
            }
          }
        }
      }
      if (!c.diag()) {
        for (int m = 0; m < mem.length; m++) {
          if (coef[m] == null) {
            continue;
          }
          for (int k = 0; k < dim; k++) {
            double dk = mem[m][k];
            for (int jj = 0; jj < r; jj++) {
              g[dim * r + k * r + jj] += dk * coef[m][jj];
            }
          }
        }
      }
      double bc1 = 1 - Math.pow(b1, ep);
      double bc2 = 1 - Math.pow(b2, ep);
      for (int i = 0; i < size; i++) {
        double gi = g[i] + 2 * c.lambda() * th[i];
        m1[i] = b1 * m1[i] + (1 - b1) * gi;
        m2[i] = b2 * m2[i] + (1 - b2) * gi * gi;
        double mh = m1[i] / bc1;
        double vh = m2[i] / bc2;
        th[i] -= LR * mh / (Math.sqrt(vh) + 1e-8);
      }
    }
    if (c.diag()) {
      return new Adapter(th, null, null);
    }
    double[][] u = new double[dim][r];
    double[][] v = new double[dim][r];
    for (int k = 0; k < dim; k++) {
      for (int jj = 0; jj < r; jj++) {
        u[k][jj] = th[k * r + jj];
        v[k][jj] = th[dim * r + k * r + jj];
      }
    }
    return new Adapter(null, u, v);
  }
}
