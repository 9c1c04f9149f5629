package dev.omem.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Session 21's idea (b), an experiment of {@link FitExtraction} ({@code -Dfit.proto=true}): one
 * more input, the cosine of a piece's vector to the mean vector of the training repositories'
 * negative pieces less its cosine to the mean of their positive ones (how much the piece reads like
 * the statements and requests of the moment that are not kept). Cross-fitted: a training piece's
 * value uses the training repositories other than its own, as a held-out piece's uses all of them,
 * so the fit sees the feature as it is at test time.
 *
 * <p>With {@code -Dfit.proto=knn} the input is instead the mean cosine to the {@link #K} nearest
 * positive pieces less that to the {@link #K} nearest negative ones (same repositories, same
 * cross-fitting): what a linear read of the vector cannot express.
 */
final class MomentPrototypes {
  static final String MODE = System.getProperty("fit.proto", "false");

  static final boolean ON = !MODE.equals("false");

  private static final boolean KNN = MODE.equals("knn");

  /** Neighbours read on each side; fixed beforehand (session 21), not tuned. */
  static final int K = 5;

  private static final List<FitExtraction.Piece> LABELLED = new ArrayList<>();

  private record Key(FitExtraction.Piece p, long mask) {}

  private static final java.util.concurrent.ConcurrentHashMap<Key, Double> CACHE =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static final List<String> REPOS = new ArrayList<>();
  private static final Map<String, double[]> NEG = new HashMap<>();
  private static final Map<String, double[]> POS = new HashMap<>();
  private static final Map<String, int[]> COUNTS = new HashMap<>();

  private MomentPrototypes() {}

  /** Adds a labelled piece (0 negative, 1 positive; others are ignored). */
  static void add(FitExtraction.Piece p) {
    if (p.label() != 0 && p.label() != 1) {
      return;
    }
    if (!REPOS.contains(p.repo())) {
      REPOS.add(p.repo());
    }
    LABELLED.add(p);
    double[] sum =
        (p.label() == 0 ? NEG : POS).computeIfAbsent(p.repo(), k -> new double[p.v().length]);
    for (int i = 0; i < sum.length; i++) {
      sum[i] += p.v()[i];
    }
    COUNTS.computeIfAbsent(p.repo(), k -> new int[2])[p.label()]++;
  }

  /** The training repositories of {@code train}, as a bit mask over {@link #REPOS}. */
  static double universe(List<FitExtraction.Piece> train) {
    long mask = 0;
    for (FitExtraction.Piece p : train) {
      int i = REPOS.indexOf(p.repo());
      if (i >= 0) {
        mask |= 1L << i;
      }
    }
    return mask;
  }

  /** The piece's value given the training repositories {@code universe}, less its own. */
  static double value(FitExtraction.Piece p, double universe) {
    return value(p, universe, KNN);
  }

  /** As {@link #value(FitExtraction.Piece, double)}, the neighbour input when {@code knn}. */
  static double value(FitExtraction.Piece p, double universe, boolean knn) {
    long mask = (long) universe;
    int own = REPOS.indexOf(p.repo());
    if (own >= 0) {
      mask &= ~(1L << own);
    }
    if (knn) {
      long m = mask;
      return CACHE.computeIfAbsent(new Key(p, m), k -> knn(p, m));
    }
    double[] neg = new double[p.v().length];
    double[] pos = new double[p.v().length];
    for (int r = 0; r < REPOS.size(); r++) {
      if ((mask & (1L << r)) != 0) {
        add(neg, NEG.get(REPOS.get(r)));
        add(pos, POS.get(REPOS.get(r)));
      }
    }
    return cosine(p.v(), neg) - cosine(p.v(), pos);
  }

  private static double knn(FitExtraction.Piece p, long mask) {
    List<Double> pos = new ArrayList<>();
    List<Double> neg = new ArrayList<>();
    for (FitExtraction.Piece q : LABELLED) {
      if ((mask & (1L << REPOS.indexOf(q.repo()))) != 0) {
        double c = 0;
        for (int i = 0; i < q.v().length; i++) {
          c += p.v()[i] * q.v()[i];
        }
        (q.label() == 1 ? pos : neg).add(c);
      }
    }
    return top(pos) - top(neg);
  }

  private static double top(List<Double> xs) {
    return xs.stream()
        .sorted(java.util.Comparator.reverseOrder())
        .limit(K)
        .mapToDouble(Double::doubleValue)
        .average()
        .orElse(0);
  }

  private static void add(double[] to, double[] x) {
    if (x != null) {
      for (int i = 0; i < to.length; i++) {
        to[i] += x[i];
      }
    }
  }

  private static double cosine(float[] v, double[] c) {
    double dot = 0;
    double n = 0;
    for (int i = 0; i < c.length; i++) {
      dot += v[i] * c[i];
      n += c[i] * c[i];
    }
    return n == 0 ? 0 : dot / Math.sqrt(n);
  }
}
