package dev.omem.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Vectors as float32 little-endian blobs, so a rebuild reads them back without re-embedding. */
public final class Vectors {
  private Vectors() {}

  public static byte[] toBlob(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return b.array();
  }

  public static float[] fromBlob(byte[] blob) {
    if (blob == null) {
      return null;
    }
    float[] v = new float[blob.length / Float.BYTES];
    ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }

  /** Dot product; the cosine similarity of two unit vectors. */
  public static float dot(float[] a, float[] b) {
    float s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
