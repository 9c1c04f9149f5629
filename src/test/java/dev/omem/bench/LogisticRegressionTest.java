package dev.omem.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fitter behind scripts/fit-relevance recovers a known model and shrinks with λ. */
class LogisticRegressionTest {
  @Test
  void recoversTheWeightsThatGeneratedTheLabels() {
    Random r = new Random(13);
    int n = 20_000;
    double[][] x = new double[n][2];
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      x[i][0] = r.nextGaussian();
      x[i][1] = r.nextGaussian();
      double z = -1.0 + 2.0 * x[i][0] - 0.5 * x[i][1];
      y[i] = r.nextDouble() < 1 / (1 + Math.exp(-z));
    }
    double[] mean = {0, 0};
    double[] scale = {1, 1};
    double[] w = LogisticRegression.fit(x, y, mean, scale, 1e-6);
    assertEquals(-1.0, w[0], 0.08);
    assertEquals(2.0, w[1], 0.1);
    assertEquals(-0.5, w[2], 0.08);
    double[] shrunk = LogisticRegression.fit(x, y, mean, scale, 1e5);
    assertTrue(Math.abs(shrunk[1]) < 0.3 * Math.abs(w[1]), "λ shrinks the weights");
  }

  @Test
  void standardisationGivesMeanAndDeviationAndNeverAZeroScale() {
    double[][] ms = LogisticRegression.standardisation(new double[][] {{1, 5}, {3, 5}});
    assertEquals(2, ms[0][0], 1e-12);
    assertEquals(1, ms[1][0], 1e-12);
    assertEquals(1, ms[1][1], 1e-12, "a constant feature keeps scale 1");
  }
}
