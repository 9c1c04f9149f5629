package dev.omem.daemon;

import org.apache.lucene.util.VectorUtil;

/**
 * Run by {@link DaemonJitTest} in a JVM with the daemon's flags: one dot product through Lucene,
 * which logs (stderr) which vector scorer it chose on first use.
 */
public final class VectorProbe {
  private VectorProbe() {}

  public static void main(String[] args) {
    float[] a = new float[384];
    java.util.Arrays.fill(a, 0.5f);
    System.err.println("dot=" + VectorUtil.dotProduct(a, a));
  }
}
