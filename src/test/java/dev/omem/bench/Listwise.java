package dev.omem.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A listwise pair model (session 18, issue 13): the weights that make each answerable prompt's
 * relevant candidates most probable under a softmax over its own candidates (a conditional logit,
 * as in learning to rank), so they are fitted for the order within a search, which the pointwise
 * logistic model only gets as a side effect. A softmax cannot see features that are constant over a
 * prompt's candidates (the query's best cosine, its length), so a pointwise logistic regression
 * over the listwise score and those features then calibrates it; the result is one linear model
 * over the same features (a {@link dev.omem.retrieve.RelevanceModel}), whose order within a search
 * is the listwise score's.
 */
final class Listwise {
  private Listwise() {}

  /**
   * Softmax weights (no intercept) on standardised features: each element of {@code prompts} is one
   * answerable prompt's candidate rows (standardised), {@code relevant} marks its relevant ones. L2
   * strength {@code lambda}. Newton steps with the softmax's covariance as the Hessian (exact for
   * one relevant candidate; with several, the relevant set's own covariance is left out so the
   * matrix stays positive definite), halved until the loss falls.
   */
  static double[] fit(List<double[][]> prompts, List<boolean[]> relevant, double lambda) {
    int d = prompts.get(0)[0].length;
    double[] w = new double[d];
    double loss = loss(prompts, relevant, w, lambda);
    for (int iter = 0; iter < 50; iter++) {
      double[] g = new double[d];
      double[][] h = new double[d][d];
      for (int k = 0; k < prompts.size(); k++) {
        double[][] z = prompts.get(k);
        boolean[] r = relevant.get(k);
        double[] p = softmax(z, w, null);
        double[] q = softmax(z, w, r);
        double[] mp = new double[d];
        for (int i = 0; i < z.length; i++) {
          for (int a = 0; a < d; a++) {
            g[a] += (p[i] - q[i]) * z[i][a];
            mp[a] += p[i] * z[i][a];
          }
        }
        for (int i = 0; i < z.length; i++) {
          for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
              h[a][b] += p[i] * (z[i][a] - mp[a]) * (z[i][b] - mp[b]);
            }
          }
        }
      }
      for (int a = 0; a < d; a++) {
        g[a] += lambda * w[a];
        h[a][a] += lambda + 1e-9;
      }
      double[] step = LogisticRegression.solve(h, g);
      double t = 1;
      double[] next = new double[d];
      double nextLoss;
      do {
        for (int a = 0; a < d; a++) {
          next[a] = w[a] - t * step[a];
        }
        nextLoss = loss(prompts, relevant, next, lambda);
        t /= 2;
      } while (nextLoss > loss + 1e-12 && t > 1e-6);
      if (nextLoss > loss) {
        break;
      }
      double moved = 0;
      for (int a = 0; a < d; a++) {
        moved = Math.max(moved, Math.abs(next[a] - w[a]));
      }
      w = next.clone();
      boolean done = loss - nextLoss < 1e-10 || moved < 1e-9;
      loss = nextLoss;
      if (done) {
        break;
      }
    }
    return w;
  }

  /** The softmax loss: minus the log probability of each prompt's relevant set, plus L2. */
  static double loss(
      List<double[][]> prompts, List<boolean[]> relevant, double[] w, double lambda) {
    double l = 0;
    for (int k = 0; k < prompts.size(); k++) {
      double[][] z = prompts.get(k);
      boolean[] r = relevant.get(k);
      l += logSumExp(z, w, null) - logSumExp(z, w, r);
    }
    for (double v : w) {
      l += lambda * v * v / 2;
    }
    return l;
  }

  /** The softmax of {@code z w} over the candidates ({@code only}: over the marked ones only). */
  static double[] softmax(double[][] z, double[] w, boolean[] only) {
    double m = Double.NEGATIVE_INFINITY;
    double[] s = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      s[i] = LogisticRegression.dot(z[i], w);
      if (only == null || only[i]) {
        m = Math.max(m, s[i]);
      }
    }
    double sum = 0;
    for (int i = 0; i < z.length; i++) {
      s[i] = only == null || only[i] ? Math.exp(s[i] - m) : 0;
      sum += s[i];
    }
    for (int i = 0; i < z.length; i++) {
      s[i] /= sum;
    }
    return s;
  }

  private static double logSumExp(double[][] z, double[] w, boolean[] only) {
    double m = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < z.length; i++) {
      if (only == null || only[i]) {
        m = Math.max(m, LogisticRegression.dot(z[i], w));
      }
    }
    double sum = 0;
    for (int i = 0; i < z.length; i++) {
      if (only == null || only[i]) {
        sum += Math.exp(LogisticRegression.dot(z[i], w) - m);
      }
    }
    return m + Math.log(sum);
  }

  /**
   * The columns of {@code rows} (grouped by prompt) that are constant within every prompt: what a
   * softmax over one prompt's candidates cannot see.
   */
  static List<Integer> promptConstant(List<double[][]> rows) {
    List<Integer> cols = new ArrayList<>();
    int d = rows.get(0)[0].length;
    for (int j = 0; j < d; j++) {
      boolean constant = true;
      for (double[][] z : rows) {
        for (double[] row : z) {
          constant &= Math.abs(row[j] - z[0][j]) < 1e-9;
        }
      }
      if (constant) {
        cols.add(j);
      }
    }
    return cols;
  }
}
