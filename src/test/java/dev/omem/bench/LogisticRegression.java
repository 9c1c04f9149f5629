package dev.omem.bench;

/**
 * L2-regularised logistic regression fitted by Newton's method on standardised features (the
 * intercept is not penalised). A dozen features and ten thousand pairs: a few iterations.
 */
final class LogisticRegression {
  private LogisticRegression() {}

  /** Per-feature mean and standard deviation of {@code x} (a constant feature gets scale 1). */
  static double[][] standardisation(double[][] x) {
    int d = x[0].length;
    double[] mean = new double[d];
    double[] scale = new double[d];
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        mean[j] += row[j] / x.length;
      }
    }
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / x.length;
      }
    }
    for (int j = 0; j < d; j++) {
      scale[j] = scale[j] > 1e-12 ? Math.sqrt(scale[j]) : 1;
    }
    return new double[][] {mean, scale};
  }

  /** Weights (intercept first) for standardised features {@code (x - mean) / scale}. */
  static double[] fit(double[][] x, boolean[] y, double[] mean, double[] scale, double lambda) {
    int d = mean.length + 1;
    double[] w = new double[d];
    double[] z = new double[d];
    for (int iter = 0; iter < 100; iter++) {
      double[] g = new double[d];
      double[][] h = new double[d][d];
      for (int i = 0; i < x.length; i++) {
        z[0] = 1;
        for (int j = 1; j < d; j++) {
          z[j] = (x[i][j - 1] - mean[j - 1]) / scale[j - 1];
        }
        double p = sigmoid(dot(w, z));
        double r = p - (y[i] ? 1 : 0);
        double v = Math.max(p * (1 - p), 1e-9);
        for (int a = 0; a < d; a++) {
          g[a] += r * z[a];
          for (int b = 0; b <= a; b++) {
            h[a][b] += v * z[a] * z[b];
          }
        }
      }
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < a; b++) {
          h[b][a] = h[a][b];
        }
        if (a > 0) {
          g[a] += lambda * w[a];
          h[a][a] += lambda;
        }
      }
      double[] step = solve(h, g);
      double size = 0;
      for (int a = 0; a < d; a++) {
        w[a] -= step[a];
        size = Math.max(size, Math.abs(step[a]));
      }
      if (size < 1e-9) {
        break;
      }
    }
    return w;
  }

  static double sigmoid(double t) {
    return 1 / (1 + Math.exp(-t));
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /**
   * Gaussian elimination with partial pivoting; {@code a} is overwritten. Also the Newton step of
   * {@link Listwise}'s optimiser.
   */
  static double[] solve(double[][] a, double[] b) {
    int n = b.length;
    double[] x = b.clone();
    for (int c = 0; c < n; c++) {
      int piv = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
          piv = r;
        }
      }
      double[] t = a[c];
      a[c] = a[piv];
      a[piv] = t;
      double tx = x[c];
      x[c] = x[piv];
      x[piv] = tx;
      for (int r = c + 1; r < n; r++) {
        double f = a[r][c] / a[c][c];
        for (int k = c; k < n; k++) {
          a[r][k] -= f * a[c][k];
        }
        x[r] -= f * x[c];
      }
    }
    for (int c = n - 1; c >= 0; c--) {
      for (int k = c + 1; k < n; k++) {
        x[c] -= a[c][k] * x[k];
      }
      x[c] /= a[c][c];
    }
    return x;
  }
}
