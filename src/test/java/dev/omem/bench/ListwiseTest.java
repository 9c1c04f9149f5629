package dev.omem.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The listwise fitter recovers the conditional logit that chose each prompt's relevant one. */
class ListwiseTest {
  @Test
  void recoversTheWeightsThatChoseTheRelevantCandidates() {
    Random r = new Random(18);
    double[] truth = {2.0, -0.5};
    List<double[][]> prompts = new ArrayList<>();
    List<boolean[]> relevant = new ArrayList<>();
    for (int k = 0; k < 4000; k++) {
      double[][] z = new double[10][2];
      for (double[] row : z) {
        row[0] = r.nextGaussian();
        row[1] = r.nextGaussian();
      }
      double[] p = Listwise.softmax(z, truth, null);
      double u = r.nextDouble();
      boolean[] rel = new boolean[10];
      int i = 0;
      for (double c = p[0]; c < u && i < 9; c += p[++i]) {}
      rel[i] = true;
      prompts.add(z);
      relevant.add(rel);
    }
    double[] w = Listwise.fit(prompts, relevant, 1e-6);
    assertEquals(2.0, w[0], 0.1);
    assertEquals(-0.5, w[1], 0.06);
    double[] shrunk = Listwise.fit(prompts, relevant, 1e5);
    assertTrue(Math.abs(shrunk[0]) < 0.3 * Math.abs(w[0]), "λ shrinks the weights");
    assertTrue(
        Listwise.loss(prompts, relevant, w, 0) < Listwise.loss(prompts, relevant, truth, 0) + 1e-9,
        "the fit is at the likelihood's maximum");
  }

  @Test
  void aColumnConstantWithinEveryPromptIsFoundAndGetsNoWeight() {
    double[][] a = {{1, 7, 0.2}, {2, 7, 0.1}, {0, 7, 0.4}};
    double[][] b = {{3, -1, 0.5}, {1, -1, 0.5}};
    assertEquals(List.of(1), Listwise.promptConstant(List.of(a, b)));
    double[] w =
        Listwise.fit(
            List.of(a, b),
            List.of(new boolean[] {false, true, false}, new boolean[] {true, false}),
            1);
    assertEquals(0, w[1], 1e-12, "a softmax over one prompt's candidates cannot see it");
    double[] p = Listwise.softmax(a, w, null);
    assertEquals(1, p[0] + p[1] + p[2], 1e-12);
    double[] only = Listwise.softmax(a, w, new boolean[] {false, true, false});
    assertEquals(1, only[1], 1e-12);
  }
}
