package dev.omem.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Session 21's fourth experiment of {@link FitExtraction} ({@code -Dfit.before=8}): the vector of
 * the assistant turn a piece follows (its last 400 characters, as the shipped extractor embeds it
 * on demand), projected on the first {@link #DIMS} principal directions of the training pieces'
 * such vectors, as inputs of the first stage (session 19 read them in a second stage only). A piece
 * with no turn before, and a training-only text, projects to the centre (0).
 */
final class TurnBeforeInputs {
  static final int DIMS = Integer.getInteger("fit.before", 0);

  /**
   * Session 22 ({@code -Dfit.turn=after}): the reply after the piece (the start of the assistant
   * turn that answers it, {@link LearnedExtractor.Sentence#after}) read the same way instead: a
   * request about the moment is acted on in the reply, a standing rule is acknowledged.
   */
  static final boolean AFTER = "after".equals(System.getProperty("fit.turn"));

  /** The assistant turn before each piece (by piece id), null when none. */
  static final Map<Integer, float[]> BEFORE = new ConcurrentHashMap<>();

  /** Per training set (its repositories' mask): centre, directions, then projections' mean/std. */
  private static final Map<Long, double[][]> FITTED = new ConcurrentHashMap<>();

  private TurnBeforeInputs() {}

  /** The centre, directions and the projections' mean and std of {@code train}'s pieces. */
  static double[][] fitted(List<FitExtraction.Piece> train, long mask) {
    return FITTED.computeIfAbsent(mask, k -> fit(train));
  }

  /** The fit of a training set {@link #fitted} already made. */
  static double[][] byMask(long mask) {
    return FITTED.get(mask);
  }

  private static double[][] fit(List<FitExtraction.Piece> train) {
    List<FitExtraction.Piece> has = new ArrayList<>();
    for (FitExtraction.Piece p : train) {
      float[] b = p.id() < 0 ? null : BEFORE.get(p.id());
      if (b != null) {
        has.add(new FitExtraction.Piece(p.id(), p.conv(), p.repo(), "", b, null, 0, 0));
      }
    }
    int d = train.get(0).v().length;
    double[] center = new double[d];
    for (FitExtraction.Piece p : has) {
      for (int i = 0; i < d; i++) {
        center[i] += p.v()[i] / has.size();
      }
    }
    double[][] dirs = FitDurableStage.principal(has, center, DIMS);
    double[][] out = new double[2 + DIMS + 2][];
    out[0] = center;
    System.arraycopy(dirs, 0, out, 1, DIMS);
    double[] mean = new double[DIMS];
    double[] std = new double[DIMS];
    for (FitExtraction.Piece p : train) {
      double[] x = project(p, center, dirs);
      for (int i = 0; i < DIMS; i++) {
        mean[i] += x[i] / train.size();
      }
    }
    for (FitExtraction.Piece p : train) {
      double[] x = project(p, center, dirs);
      for (int i = 0; i < DIMS; i++) {
        std[i] += (x[i] - mean[i]) * (x[i] - mean[i]) / train.size();
      }
    }
    for (int i = 0; i < DIMS; i++) {
      std[i] = Math.max(1e-6, Math.sqrt(std[i]));
    }
    out[1 + DIMS] = mean;
    out[2 + DIMS] = std;
    return out;
  }

  /** The piece's standardised inputs under {@code f} ({@link #fitted}). */
  static double[] inputs(FitExtraction.Piece p, double[][] f) {
    double[][] dirs = new double[DIMS][];
    System.arraycopy(f, 1, dirs, 0, DIMS);
    double[] x = project(p, f[0], dirs);
    for (int i = 0; i < DIMS; i++) {
      x[i] = (x[i] - f[1 + DIMS][i]) / f[2 + DIMS][i];
    }
    return x;
  }

  private static double[] project(FitExtraction.Piece p, double[] center, double[][] dirs) {
    double[] x = new double[DIMS];
    float[] b = p.id() < 0 ? null : BEFORE.get(p.id());
    if (b == null) {
      return x;
    }
    for (int k = 0; k < DIMS; k++) {
      double s = 0;
      for (int i = 0; i < b.length; i++) {
        s += (b[i] - center[i]) * dirs[k][i];
      }
      x[k] = s;
    }
    return x;
  }
}
