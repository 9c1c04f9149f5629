package dev.omem.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The one shared dot product: the plain definition's number bit for bit, over the shorter length.
 */
class UnitVectorsTest {
  @Test
  void itIsThePlainSumFirstElementFirstBitForBit() {
    Random r = new Random(7);
    for (int t = 0; t < 50; t++) {
      float[] a = new float[384];
      float[] b = new float[384];
      for (int e = 0; e < a.length; e++) {
        // Components of very different sizes, so that another order would give another double.
        a[e] = (float) (r.nextGaussian() * Math.scalb(1.0, -r.nextInt(40)));
        b[e] = (float) (r.nextGaussian() * Math.scalb(1.0, -r.nextInt(40)));
      }
      double plain = 0;
      for (int e = 0; e < a.length; e++) {
        plain += a[e] * b[e];
      }
      assertEquals(plain, UnitVectors.dot(a, b), 0.0);
    }
  }

  @Test
  void vectorsOfTwoLengthsMeetOverTheShorter() {
    float[] a = {1, 2, 3};
    float[] b = {4, 5};
    assertEquals(14.0, UnitVectors.dot(a, b), 0.0);
    assertEquals(14.0, UnitVectors.dot(b, a), 0.0);
    assertEquals(0.0, UnitVectors.dot(new float[] {1, 0}, new float[] {0, 1}), 0.0);
  }
}
