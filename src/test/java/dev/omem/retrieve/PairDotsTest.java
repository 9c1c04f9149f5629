package dev.omem.retrieve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.omem.domain.Memory;
import dev.omem.store.StoredMemory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast pairwise products and the local hubness built on them give the straightforward
 * definition's numbers bit for bit (delta 0), so no ranking can move: one scalar dot product per
 * pair, then each candidate's mean of its k nearest others.
 */
class PairDotsTest {
  /** Random unit vectors of 384 floats (the shipped model's), with gaps and a stray length. */
  private static float[][] vectors(Random r, int n) {
    float[][] v = new float[n][];
    for (int i = 0; i < n; i++) {
      int pick = r.nextInt(12);
      if (pick == 0) {
        continue; // a memory waiting for its vector
      }
      v[i] = new float[pick == 1 ? 8 : 384]; // another model's length
      double norm = 0;
      for (int e = 0; e < v[i].length; e++) {
        // Components of very different sizes: with the model's even ones, the double sum of
        // float products is exact in any order, and the test could not tell two orders apart.
        v[i][e] = (float) (r.nextGaussian() * Math.scalb(1.0, -r.nextInt(40)));
        norm += v[i][e] * v[i][e];
      }
      for (int e = 0; e < v[i].length; e++) {
        v[i][e] = (float) (v[i][e] / Math.sqrt(norm));
      }
    }
    return v;
  }

  /** The definition, written plainly: each pair's product on its own, first element first. */
  private static double plainDot(float[] a, float[] b) {
    double s = 0;
    for (int e = 0; e < a.length; e++) {
      s += a[e] * b[e];
    }
    return s;
  }

  private static double plainHubness(float[][] v, int i) {
    if (v[i] == null) {
      return 0;
    }
    List<Double> sims = new ArrayList<>();
    for (int j = 0; j < v.length; j++) {
      if (j != i && v[j] != null) {
        sims.add(v[j].length == v[i].length ? plainDot(v[i], v[j]) : 0.0);
      }
    }
    sims.sort((x, y) -> Double.compare(y, x));
    int k = Math.min(BackgroundPrompts.K, sims.size());
    double sum = 0;
    for (int t = 0; t < k; t++) {
      sum += sims.get(t);
    }
    return k == 0 ? 0 : sum / k;
  }

  @Test
  void everyPairIsTheScalarProductBitForBit() {
    Random r = new Random(15);
    for (int n : new int[] {0, 1, 2, 3, 4, 5, 7, 9, 50, 61}) {
      float[][] v = vectors(r, n);
      double[][] d = PairDots.of(v, n);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          boolean both = i != j && v[i] != null && v[j] != null && v[i].length == v[j].length;
          double want = both ? plainDot(v[i], v[j]) : 0;
          assertEquals(want, d[i][j], 0, "pair " + i + ", " + j + " of " + n);
        }
      }
    }
  }

  @Test
  void aReferenceSumsEveryPairWithAReferenceRowBitForBitAndNoOther() {
    Random r = new Random(22);
    for (int[] nr : new int[][] {{0, 0}, {5, 0}, {5, 2}, {9, 9}, {61, 50}, {100, 50}, {60, 13}}) {
      int n = nr[0];
      int reference = nr[1];
      float[][] v = vectors(r, n);
      double[][] d = PairDots.of(v, reference);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          boolean both = i != j && v[i] != null && v[j] != null && v[i].length == v[j].length;
          boolean read = i < reference || j < reference;
          double want = both && read ? plainDot(v[i], v[j]) : 0;
          assertEquals(want, d[i][j], 0, "pair " + i + ", " + j + " of " + n + ", " + reference);
        }
      }
    }
  }

  @Test
  void localHubnessIsTheMeanOfTheKNearestOthersBitForBit() {
    Random r = new Random(19);
    for (int n : new int[] {1, 6, 11, 50, 150}) {
      float[][] v = vectors(r, n);
      List<Candidate> list = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Candidate c = new Candidate("m" + i);
        c.row =
            new StoredMemory(
                Memory.builder().id("m" + i).tenantId("t").content("text " + i).build(), v[i], "m");
        list.add(c);
      }
      double[] fast = RelevanceFeatures.localHubness(list);
      double[] plain = new double[n];
      Arrays.setAll(plain, i -> plainHubness(v, i));
      for (int i = 0; i < n; i++) {
        assertEquals(plain[i], fast[i], 0, "candidate " + i + " of " + n);
      }
    }
  }
}
