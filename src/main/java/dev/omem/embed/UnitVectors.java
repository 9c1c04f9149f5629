package dev.omem.embed;

/** Arithmetic on the model's unit vectors that the engine and the service share: one copy. */
public final class UnitVectors {
  private UnitVectors() {}

  /**
   * The dot product of two unit vectors, their cosine: float products added one by one into a
   * double, first element first (so every caller gets the same number, bit for bit), over the
   * shorter vector's length.
   */
  public static double dot(float[] a, float[] b) {
    double s = 0;
    int n = Math.min(a.length, b.length); // once, not per element: the daemon's C1 re-evaluated it
    for (int i = 0; i < n; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
