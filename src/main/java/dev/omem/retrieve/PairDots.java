package dev.omem.retrieve;

import dev.omem.embed.UnitVectors;

/**
 * The dot product of every pair of a search's candidate vectors, for local hubness: each pair's sum
 * in {@link UnitVectors#dot}'s order (float products added one by one into a double, first element
 * first), so every number is the same, bit for bit. Four pairs are summed side by side: one sum
 * waits on its previous addition at every element, four independent sums do not, so the processor
 * overlaps them (the 50 x 49 / 2 scalar products were 12.5% of a steady search's Java samples,
 * issue 15's session 11 profile).
 */
final class PairDots {
  private PairDots() {}

  /**
   * {@code out[i][j] = out[j][i] = UnitVectors.dot(v[i], v[j])} for every {@code i != j} where at
   * least one of the two is among the first {@code reference}, both vectors are there and of one
   * length; 0 elsewhere. A pair of two rows past the reference is never read (each row is measured
   * against the reference rows alone): with the centred list's 50 extras after the window's 50,
   * that was a quarter of the products (issue 19, session 22).
   */
  static double[][] of(float[][] v, int reference) {
    int n = v.length;
    double[][] out = new double[n][n];
    int[] js = new int[n];
    for (int i = 0; i < Math.min(reference, n); i++) {
      float[] a = v[i];
      if (a == null) {
        continue;
      }
      int m = 0;
      for (int j = i + 1; j < n; j++) {
        if (v[j] != null && v[j].length == a.length) {
          js[m++] = j;
        }
      }
      int k = 0;
      for (; k + 4 <= m; k += 4) {
        int j0 = js[k];
        int j1 = js[k + 1];
        int j2 = js[k + 2];
        int j3 = js[k + 3];
        float[] b0 = v[j0];
        float[] b1 = v[j1];
        float[] b2 = v[j2];
        float[] b3 = v[j3];
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int e = 0; e < a.length; e++) {
          float x = a[e];
          s0 += x * b0[e];
          s1 += x * b1[e];
          s2 += x * b2[e];
          s3 += x * b3[e];
        }
        set(out, i, j0, s0);
        set(out, i, j1, s1);
        set(out, i, j2, s2);
        set(out, i, j3, s3);
      }
      for (; k < m; k++) {
        set(out, i, js[k], UnitVectors.dot(a, v[js[k]]));
      }
    }
    return out;
  }

  private static void set(double[][] out, int i, int j, double d) {
    out[i][j] = d;
    out[j][i] = d;
  }
}
