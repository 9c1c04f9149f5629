package dev.omem.bench;

import java.util.Random;

/**
 * A one-hidden-layer network (tanh, one logistic output) with L2 on its weights, fitted by Adam on
 * the full batch of standardised features: the non-linear counterpart of {@link LogisticRegression}
 * for the relevance fit (RelevanceProbe). Seeded, so every fit repeats.
 */
final class Mlp {
  final double[] mean;
  final double[] scale;
  final double[][] w1; // hidden x (inputs + 1), bias first
  final double[] w2; // hidden + 1, bias first

  private Mlp(double[] mean, double[] scale, double[][] w1, double[] w2) {
    this.mean = mean;
    this.scale = scale;
    this.w1 = w1;
    this.w2 = w2;
  }

  /** The probability for a raw (unstandardised) feature row. */
  double p(double[] x) {
    double z = w2[0];
    for (int h = 0; h < w1.length; h++) {
      double a = w1[h][0];
      for (int j = 0; j < mean.length; j++) {
        a += w1[h][j + 1] * (x[j] - mean[j]) / scale[j];
      }
      z += w2[h + 1] * Math.tanh(a);
    }
    return LogisticRegression.sigmoid(z);
  }

  /**
   * Fits {@code hidden} units with L2 strength {@code lambda} (summed over the weights, not the
   * biases, against the summed log loss) for {@code epochs} full-batch Adam steps.
   */
  static Mlp fit(double[][] x, boolean[] y, int hidden, double lambda, int epochs) {
    double[][] ms = LogisticRegression.standardisation(x);
    int n = x.length;
    int d = ms[0].length;
    double[][] z = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        z[i][j] = (x[i][j] - ms[0][j]) / ms[1][j];
      }
    }
    Random rnd = new Random(13);
    double[][] w1 = new double[hidden][d + 1];
    double[] w2 = new double[hidden + 1];
    for (double[] row : w1) {
      for (int j = 1; j <= d; j++) {
        row[j] = rnd.nextGaussian() / Math.sqrt(d);
      }
    }
    for (int h = 1; h <= hidden; h++) {
      w2[h] = rnd.nextGaussian() / Math.sqrt(hidden);
    }
    int pos = 0;
    for (boolean b : y) {
      pos += b ? 1 : 0;
    }
    w2[0] = Math.log((pos + 0.5) / (n - pos + 0.5));
    double[][] m1 = new double[hidden][d + 1], v1 = new double[hidden][d + 1];
    double[] m2 = new double[hidden + 1], v2 = new double[hidden + 1];
    double lr = 0.02, b1 = 0.9, b2 = 0.999, eps = 1e-8;
    double[] a = new double[hidden];
    for (int t = 1; t <= epochs; t++) {
      double[][] g1 = new double[hidden][d + 1];
      double[] g2 = new double[hidden + 1];
      for (int i = 0; i < n; i++) {
        double out = w2[0];
        for (int h = 0; h < hidden; h++) {
          double s = w1[h][0];
          double[] wr = w1[h];
          double[] zi = z[i];
          for (int j = 0; j < d; j++) {
            s += wr[j + 1] * zi[j];
          }
          a[h] = Math.tanh(s);
          out += w2[h + 1] * a[h];
        }
        double r = LogisticRegression.sigmoid(out) - (y[i] ? 1 : 0);
        g2[0] += r;
        for (int h = 0; h < hidden; h++) {
          g2[h + 1] += r * a[h];
          double back = r * w2[h + 1] * (1 - a[h] * a[h]);
          double[] gr = g1[h];
          double[] zi = z[i];
          gr[0] += back;
          for (int j = 0; j < d; j++) {
            gr[j + 1] += back * zi[j];
          }
        }
      }
      // Mean loss: gradients over n, L2 over n too (the same scale as LogisticRegression's λ).
      double c1 = 1 - Math.pow(b1, t), c2 = 1 - Math.pow(b2, t);
      for (int h = 0; h < hidden; h++) {
        for (int j = 0; j <= d; j++) {
          double g = g1[h][j] / n + (j > 0 ? lambda * w1[h][j] / n : 0);
          m1[h][j] = b1 * m1[h][j] + (1 - b1) * g;
          v1[h][j] = b2 * v1[h][j] + (1 - b2) * g * g;
          w1[h][j] -= lr * (m1[h][j] / c1) / (Math.sqrt(v1[h][j] / c2) + eps);
        }
      }
      for (int h = 0; h <= hidden; h++) {
        double g = g2[h] / n + (h > 0 ? lambda * w2[h] / n : 0);
        m2[h] = b1 * m2[h] + (1 - b1) * g;
        v2[h] = b2 * v2[h] + (1 - b2) * g * g;
        w2[h] -= lr * (m2[h] / c1) / (Math.sqrt(v2[h] / c2) + eps);
      }
    }
    return new Mlp(ms[0], ms[1], w1, w2);
  }
}
