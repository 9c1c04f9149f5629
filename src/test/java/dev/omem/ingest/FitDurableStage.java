package dev.omem.ingest;

import dev.omem.ingest.FitExtraction.Config;
import dev.omem.ingest.FitExtraction.Fact;
import dev.omem.ingest.FitExtraction.Piece;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Session 15's second stage (BENCHMARKS.md, "Session 15: a second stage for precision"): among the
 * pieces the first stage keeps, a logistic regression separating those holding a labelled fact from
 * the rest, over the embedding projected on its training pieces' first principal directions, the
 * first stage's logit and a few cues of the text. Fitted nested inside each outer fold of {@link
 * FitExtraction} ({@code -Dfit.stage2=1}); its threshold is the inner CV's choice by the first
 * stage's objective. An experiment: nothing here ships unless its left-out objective beats the
 * first stage's.
 */
final class FitDurableStage {
  /** Principal directions kept; fixed before the run (the ship rule), not tuned. */
  static final int DIMS = 8;

  /** L2 strength on standardised inputs; fixed before the run, not tuned. */
  static final double LAMBDA = 0.1;

  /** Thresholds tried; 0 is "off" (every kept piece passes). */
  static final double[] THRESHOLDS = {
    0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85,
    0.9, 0.95
  };

  private static final Pattern REQUEST =
      Pattern.compile("(?i)^(?:please|let'?s|can you|could you|would you|go ahead|try)\\b");
  private static final Pattern MOMENT =
      Pattern.compile("(?i)\\b(?:this|here|now|currently|again|yet|above)\\b");
  private static final Pattern SUBJECT =
      Pattern.compile("\\d|`|/|_|\\w\\.\\w|\\b[a-z]+[A-Z]\\w*|\\b[A-Z]{2,}\\b|\\s[A-Z][a-z]+");
  private static final Pattern DURABLE =
      Pattern.compile(
          "(?i)\\b(?:always|never|every|all|should|must|prefer|instead|default|only|don'?t)\\b");

  static final int CUES = 6;

  /**
   * Session 19's variant ({@code -Dfit.stage2.context=true}): the second stage also reads the
   * piece's context, each vector projected on its own training pieces' first {@link #DIMS}
   * principal directions: the assistant turn before (its end, as {@code Sentence.before}) and the
   * rest of the user turn (the turn's other pieces, joined); beside them the piece's cosine to the
   * rest of its turn and to the start of the reply, and the 12 {@link FactFeatures} (its place in
   * the conversation and in its turn among them).
   */
  static final boolean CONTEXT = Boolean.getBoolean("fit.stage2.context");

  /**
   * Per piece id: the vectors of the assistant turn before and of the rest of the turn (null:
   * none), and of the reply.
   */
  static final Map<Integer, float[][]> CTX = new java.util.HashMap<>();

  /** How many context vectors {@link #CTX} holds per piece that are projected (before, rest). */
  static final int BLOCKS = 2;

  /** The text cues, in the order of the ship rule. */
  static double[] cues(String text) {
    String t = text.strip();
    int words = t.isEmpty() ? 0 : t.split("\\s+").length;
    return new double[] {
      Math.log1p(words),
      t.endsWith("?") ? 1 : 0,
      REQUEST.matcher(t).find() ? 1 : 0,
      MOMENT.matcher(t).find() ? 1 : 0,
      SUBJECT.matcher(t).find() ? 1 : 0,
      DURABLE.matcher(t).find() ? 1 : 0
    };
  }

  /** A fitted second stage: principal directions, standardisation, weights. */
  record Model(
      double[][] dirs,
      double[] center,
      double[][][] ctxDirs,
      double[][] ctxCenters,
      double[] mean,
      double[] std,
      double[] w) {
    double probability(Piece p, double logit) {
      double[] x = raw(p, logit, dirs, center, ctxDirs, ctxCenters);
      double z = w[0];
      for (int j = 0; j < x.length; j++) {
        z += w[1 + j] * (x[j] - mean[j]) / std[j];
      }
      return 1 / (1 + Math.exp(-z));
    }
  }

  static double[] raw(
      Piece p,
      double logit,
      double[][] dirs,
      double[] center,
      double[][][] ctxDirs,
      double[][] ctxCenters) {
    int base = dirs.length + 1 + CUES;
    int extra = ctxDirs == null ? 0 : BLOCKS * DIMS + 2 + p.rules().length;
    double[] x = new double[base + extra];
    project(p.v(), dirs, center, x, 0);
    x[dirs.length] = logit;
    System.arraycopy(cues(p.text()), 0, x, dirs.length + 1, CUES);
    if (ctxDirs != null) {
      float[][] c = CTX.get(p.id());
      for (int b = 0; b < BLOCKS; b++) {
        if (c[b] != null) { // none: the centre, so a projection of 0
          project(c[b], ctxDirs[b], ctxCenters[b], x, base + b * DIMS);
        }
      }
      int at = base + BLOCKS * DIMS;
      x[at] = c[1] == null ? 0 : FitExtraction.dot(p.v(), c[1]);
      x[at + 1] = c[2] == null ? 0 : FitExtraction.dot(p.v(), c[2]);
      System.arraycopy(p.rules(), 0, x, at + 2, p.rules().length);
    }
    return x;
  }

  private static void project(float[] v, double[][] dirs, double[] center, double[] x, int at) {
    for (int k = 0; k < dirs.length; k++) {
      double s = 0;
      for (int i = 0; i < center.length; i++) {
        s += (v[i] - center[i]) * dirs[k][i];
      }
      x[at + k] = s;
    }
  }

  static double logit(double p) {
    double q = Math.min(1 - 1e-9, Math.max(1e-9, p));
    return Math.log(q / (1 - q));
  }

  /** Label: the piece holds some labelled fact's words. */
  static int label(Piece p) {
    for (boolean b : FitExtraction.MATCH[p.id()]) {
      if (b) {
        return 1;
      }
    }
    return 0;
  }

  /** Fits the second stage on kept pieces with their first-stage probabilities. */
  static Model fit(List<Piece> kept, double[] firstProb) {
    int d = kept.get(0).v().length;
    double[] center = new double[d];
    for (Piece p : kept) {
      for (int i = 0; i < d; i++) {
        center[i] += p.v()[i] / kept.size();
      }
    }
    double[][] dirs = principal(kept, center, DIMS);
    double[][][] ctxDirs = null;
    double[][] ctxCenters = null;
    if (CONTEXT) {
      ctxDirs = new double[BLOCKS][][];
      ctxCenters = new double[BLOCKS][];
      for (int b = 0; b < BLOCKS; b++) {
        List<Piece> has = new ArrayList<>();
        for (Piece p : kept) {
          float[] c = CTX.get(p.id())[b];
          if (c != null) {
            has.add(new Piece(p.id(), p.conv(), p.repo(), p.text(), c, null, 0, 0));
          }
        }
        ctxCenters[b] = new double[d];
        for (Piece p : has) {
          for (int i = 0; i < d; i++) {
            ctxCenters[b][i] += p.v()[i] / has.size();
          }
        }
        ctxDirs[b] = principal(has, ctxCenters[b], DIMS);
      }
    }
    int n = kept.size();
    double[][] xs = new double[n][];
    for (int i = 0; i < n; i++) {
      xs[i] = raw(kept.get(i), logit(firstProb[i]), dirs, center, ctxDirs, ctxCenters);
    }
    int m = xs[0].length;
    double[] mean = new double[m];
    double[] std = new double[m];
    for (double[] x : xs) {
      for (int j = 0; j < m; j++) {
        mean[j] += x[j] / n;
      }
    }
    for (double[] x : xs) {
      for (int j = 0; j < m; j++) {
        std[j] += (x[j] - mean[j]) * (x[j] - mean[j]) / n;
      }
    }
    for (int j = 0; j < m; j++) {
      std[j] = Math.max(1e-6, Math.sqrt(std[j]));
    }
    double[] w = new double[m + 1];
    double[] vel = new double[m + 1];
    for (int it = 0; it < 600; it++) {
      double[] g = new double[m + 1];
      for (int i = 0; i < n; i++) {
        double z = w[0];
        for (int j = 0; j < m; j++) {
          z += w[1 + j] * (xs[i][j] - mean[j]) / std[j];
        }
        double err = 1 / (1 + Math.exp(-z)) - label(kept.get(i));
        g[0] += err / n;
        for (int j = 0; j < m; j++) {
          g[1 + j] += err * (xs[i][j] - mean[j]) / std[j] / n;
        }
      }
      for (int j = 1; j <= m; j++) {
        g[j] += LAMBDA * w[j];
      }
      for (int j = 0; j <= m; j++) {
        vel[j] = 0.9 * vel[j] - 0.1 * g[j];
        w[j] += vel[j];
      }
    }
    return new Model(dirs, center, ctxDirs, ctxCenters, mean, std, w);
  }

  /** The first k principal directions of the pieces' vectors, by power iteration with deflation. */
  static double[][] principal(List<Piece> ps, double[] center, int k) {
    int d = center.length;
    double[][] cov = new double[d][d];
    for (Piece p : ps) {
      double[] x = new double[d];
      for (int i = 0; i < d; i++) {
        x[i] = p.v()[i] - center[i];
      }
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          cov[i][j] += x[i] * x[j];
        }
      }
    }
    double[][] out = new double[k][];
    for (int c = 0; c < k; c++) {
      double[] v = new double[d];
      for (int i = 0; i < d; i++) {
        v[i] = 1.0 / Math.sqrt(d) * (1 + 0.01 * ((i * 7919 + c * 104729) % 13));
      }
      for (int it = 0; it < 200; it++) {
        double[] nv = new double[d];
        for (int i = 0; i < d; i++) {
          double s = 0;
          for (int j = 0; j < d; j++) {
            s += cov[i][j] * v[j];
          }
          nv[i] = s;
        }
        for (int prev = 0; prev < c; prev++) {
          double dot = 0;
          for (int i = 0; i < d; i++) {
            dot += nv[i] * out[prev][i];
          }
          for (int i = 0; i < d; i++) {
            nv[i] -= dot * out[prev][i];
          }
        }
        double norm = 0;
        for (double x : nv) {
          norm += x * x;
        }
        norm = Math.sqrt(norm);
        if (norm < 1e-12) {
          break;
        }
        for (int i = 0; i < d; i++) {
          v[i] = nv[i] / norm;
        }
      }
      out[c] = v;
    }
    return out;
  }

  /** The inner left-out first-stage probabilities of {@code pieces} under {@code c}. */
  static double[] innerFirst(List<Piece> pieces, List<String> repos, Config c) {
    double[] p = new double[pieces.size()];
    for (String r : repos) {
      List<Piece> train = pieces.stream().filter(x -> !x.repo().equals(r)).toList();
      double[] w = FitExtraction.train(train, c.lambda(), c.rules(), c.extra());
      double[][] ms = FitExtraction.meanStd(train);
      for (int i = 0; i < pieces.size(); i++) {
        if (pieces.get(i).repo().equals(r)) {
          p[i] = FitExtraction.prob(w, pieces.get(i), ms, c.rules());
        }
      }
    }
    return p;
  }

  /**
   * Session 15's second rule: the threshold chosen by F0.5 of recall and precision on the inner
   * folds ({@code -Dfit.stage2.select=f05}) instead of the first stage's objective.
   */
  private static final boolean F05 = "f05".equals(System.getProperty("fit.stage2.select"));

  static double f05(double recall, double precision) {
    return recall + precision == 0 ? 0 : 1.25 * precision * recall / (0.25 * precision + recall);
  }

  /** What one outer fold's second stage is: its model and threshold (0: off). */
  record Stage(Model model, double threshold) {}

  /**
   * Chooses and fits the second stage on the training repositories of one outer fold (nested: the
   * outer repository is never read).
   */
  static Stage choose(
      List<Piece> pieces,
      List<Fact> facts,
      List<String> repos,
      Config c,
      Map<String, String> repoOfConv) {
    double[] p1 = innerFirst(pieces, repos, c);
    boolean[] kept = FitExtraction.kept(pieces, p1, c.threshold(), c.perTurn(), c.merge());
    double[] p2 = new double[pieces.size()];
    for (String r : repos) {
      List<Piece> tr = new ArrayList<>();
      List<Double> tp = new ArrayList<>();
      for (int i = 0; i < pieces.size(); i++) {
        if (pooled(kept[i], p1[i], c) && !pieces.get(i).repo().equals(r)) {
          tr.add(pieces.get(i));
          tp.add(p1[i]);
        }
      }
      Model m = fit(tr, tp.stream().mapToDouble(Double::doubleValue).toArray());
      for (int i = 0; i < pieces.size(); i++) {
        if (kept[i] && pieces.get(i).repo().equals(r)) {
          p2[i] = m.probability(pieces.get(i), logit(p1[i]));
        }
      }
    }
    double best = -1;
    double bestT = 0;
    for (double t : THRESHOLDS) {
      double[] rpk = FitExtraction.ratios(FitExtraction.counts(pieces, facts, pass(kept, p2, t)));
      double o = F05 ? f05(rpk[0], rpk[1]) : FitExtraction.objective(rpk);
      if (o > best) {
        best = o;
        bestT = t;
      }
    }
    List<Piece> tr = new ArrayList<>();
    List<Double> tp = new ArrayList<>();
    for (int i = 0; i < pieces.size(); i++) {
      if (pooled(kept[i], p1[i], c)) {
        tr.add(pieces.get(i));
        tp.add(p1[i]);
      }
    }
    System.err.printf(
        Locale.ROOT,
        "  stage 2 over %s: threshold %.2f, inner objective %.3f%n",
        repos,
        bestT,
        best);
    return new Stage(fit(tr, tp.stream().mapToDouble(Double::doubleValue).toArray()), bestT);
  }

  /**
   * Session 19's second variant ({@code -Dfit.stage2.pool=half}): the second stage is trained on
   * every piece whose first-stage probability reaches half its threshold (about 1.7 times as many
   * examples as the kept ones), and still applied only to the kept pieces.
   */
  static final boolean HALF = "half".equals(System.getProperty("fit.stage2.pool"));

  /** Session 19's third variant ({@code -Dfit.stage2.pool=all}): trained on every piece. */
  static final boolean ALL = "all".equals(System.getProperty("fit.stage2.pool"));

  static boolean pooled(boolean kept, double p1, Config c) {
    return ALL || (HALF ? p1 >= c.threshold() / 2 : kept);
  }

  static boolean[] pass(boolean[] kept, double[] p2, double t) {
    boolean[] out = new boolean[kept.length];
    for (int i = 0; i < kept.length; i++) {
      out[i] = kept[i] && (t == 0 || p2[i] >= t);
    }
    return out;
  }

  private FitDurableStage() {}
}
