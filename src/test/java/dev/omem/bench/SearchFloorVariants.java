package dev.omem.bench;

import static dev.omem.bench.TwoThresholdFit.GOAL;
import static dev.omem.bench.TwoThresholdFit.counts;
import static dev.omem.bench.TwoThresholdFit.floorListed;
import static dev.omem.bench.TwoThresholdFit.harmonic;
import static dev.omem.bench.TwoThresholdFit.listedCounts;
import static dev.omem.bench.TwoThresholdFit.share;

import dev.omem.bench.RelevanceFit.Scored;
import dev.omem.bench.TwoThresholdFit.Choice;
import dev.omem.bench.TwoThresholdFit.Counts;
import dev.omem.bench.TwoThresholdFit.Gated;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Session 20's variants of the search floor, measured beside {@link TwoThresholdFit}'s shipped row
 * in the same run (docs/relevance/threshold-rule.md, "Session 20"): {@code --pad-free} (t_p chosen
 * with search precision bound, {@code --harmonic}: by the harmonic mean of recall@5 and search
 * precision) and {@code --relative} (a cut relative to the top result: variants A, B, C, D1, D2 and
 * a fixed-r sweep). None shipped; kept so the figures in BENCHMARKS.md can be re-run.
 */
final class SearchFloorVariants {
  private final boolean padFreeRun;
  private final boolean relRun;
  private final boolean harmonicPadFree;

  // --relative: per-fold choices, left-out counts and listed [listed, relevant] per variant.
  private final List<Double> relA = new ArrayList<>(), relB = new ArrayList<>();
  private final List<String> relC = new ArrayList<>(), relD1 = new ArrayList<>();
  private final List<String> relD2 = new ArrayList<>();
  private final List<Counts> relACounts = new ArrayList<>(), relBCounts = new ArrayList<>();
  private final List<Counts> relCCounts = new ArrayList<>(), relD1Counts = new ArrayList<>();
  private final List<Counts> relD2Counts = new ArrayList<>();
  private final int[] relAListed = new int[2], relBListed = new int[2], relCListed = new int[2];
  private final int[] relD1Listed = new int[2], relD2Listed = new int[2];
  private int relFallback, relCFallback, relD1Fallback;
  private double[] jc, d1, d2;
  private final List<List<Counts>> sweep = new ArrayList<>();
  private final int[][] sweepListed = new int[10][2];

  // --pad-free: per-fold t_p (the fold's shipped t_p on a fallback) and its inner bound.
  private final List<Double> padTp = new ArrayList<>(), padMin = new ArrayList<>();
  private final List<Counts> padCounts = new ArrayList<>();
  private final int[] padListed = new int[2];
  private int padFallback;
  private boolean padFellBack;

  private SearchFloorVariants(boolean padFree, boolean relative, boolean harmonicPadFree) {
    this.padFreeRun = padFree;
    this.relRun = relative;
    this.harmonicPadFree = harmonicPadFree;
    for (int k = 0; k < 10; k++) {
      sweep.add(new ArrayList<>());
    }
  }

  /** The variants the command line asks for ({@code --pad-free}, {@code --relative}). */
  static SearchFloorVariants of(Map<String, String> o) {
    return new SearchFloorVariants(
        o.containsKey("pad-free"), o.containsKey("relative"), o.containsKey("harmonic"));
  }

  /**
   * The best point of a grid by one of session 20's objectives, each with abstention >= 0.90: the
   * most recall@5 (ties: MRR) with search precision >= {@code minPrecision}, or (harmonic) the
   * highest harmonic mean of recall@5 and search precision. Later points win ties: the grids run
   * upward, so a tie keeps the higher value.
   */
  static final class Best<T> {
    private final boolean harmonicMean;
    private final double minPrecision;
    private T best;
    private Counts bc;
    private double bestH = -1;

    Best(boolean harmonicMean, double minPrecision) {
      this.harmonicMean = harmonicMean;
      this.minPrecision = minPrecision;
    }

    /** {@code precision}: the point's search precision, read only when it could matter. */
    void offer(T point, Counts c, DoubleSupplier precision) {
      if (c.abstention() < GOAL) {
        return;
      }
      if (harmonicMean) {
        double h = harmonic(c.recall5(), precision.getAsDouble());
        if (h >= bestH) {
          bestH = h;
          best = point;
        }
        return;
      }
      if (bc != null && c.recall5() < bc.recall5()) {
        return; // cannot win whatever its precision
      }
      if (precision.getAsDouble() < minPrecision) {
        return;
      }
      if (bc == null
          || c.recall5() > bc.recall5()
          || (c.recall5() == bc.recall5() && c.mrr() >= bc.mrr())) {
        best = point;
        bc = c;
      }
    }

    /** The best point; null when none met the bounds. */
    T best() {
      return best;
    }
  }

  /**
   * Session 20's t_p (docs/relevance/threshold-rule.md, "second step"): at the fold's t_g, the most
   * inner recall@5 (ties: MRR, then the higher t_p) with abstention >= 0.90 and search precision >=
   * {@code minPrecision}; NaN when no t_p meets both. {@code harmonicMean} (session 20's third
   * candidate, --harmonic): the highest harmonic mean of recall@5 and search precision instead.
   */
  static double padFree(List<Gated> gs, double tg, double minPrecision, boolean harmonicMean) {
    Best<Double> best = new Best<>(harmonicMean, minPrecision);
    for (int b = 1; b < 100; b++) {
      double tp = b / 100.0;
      best.offer(tp, counts(gs, tg, tp), () -> share(listedCounts(gs, tg, tp)));
    }
    return best.best() == null ? Double.NaN : best.best();
  }

  /**
   * Session 20's relative cut (docs/relevance/threshold-rule.md, "a cut relative to the top
   * result"): r on 0.00..0.99 at the fold's (t_g, t_p). Variant A ({@code harmonicMean} false): the
   * most inner recall@5 (ties: MRR, then the higher r) with abstention >= 0.90 and search precision
   * >= {@code minPrecision}, NaN when none; variant B: the highest harmonic mean of recall@5 and
   * search precision with abstention >= 0.90 (ties: the higher r).
   */
  static double relative(
      List<Gated> gs, double tg, double tp, double minPrecision, boolean harmonicMean) {
    Best<Double> best = new Best<>(harmonicMean, minPrecision);
    for (int b = 0; b < 100; b++) {
      double r = b / 100.0;
      best.offer(r, counts(gs, tg, tp, r), () -> share(listedCounts(gs, tg, tp, r)));
    }
    return best.best() == null ? Double.NaN : best.best();
  }

  /**
   * Session 20's relative cut, variant C: (t_g, r) together at the fold's t_p, the most inner
   * recall@5 (ties: MRR, then the higher r, then the higher t_g) with abstention >= 0.90 and search
   * precision >= {@code minPrecision}; null when no pair meets both.
   */
  static double[] relativeJoint(List<Gated> gs, double tp, double minPrecision) {
    Best<double[]> best = new Best<>(false, minPrecision);
    for (int b = 0; b < 100; b++) {
      for (int a = 1; a < 100; a++) {
        double tg = a / 100.0, r = b / 100.0;
        best.offer(
            new double[] {tg, r}, counts(gs, tg, tp, r), () -> share(listedCounts(gs, tg, tp, r)));
      }
    }
    return best.best();
  }

  /**
   * Session 20's relative cut, variant D: (t_top, r) at the fold's (t_g, t_p); D1 ({@code
   * harmonicMean} false) the most inner recall@5 (ties: MRR, higher r, higher t_top) with
   * abstention >= 0.90 and search precision >= {@code minPrecision}, null when none; D2 the highest
   * harmonic mean of recall@5 and search precision with abstention >= 0.90 (ties: higher r, higher
   * t_top).
   */
  static double[] relativeTop(
      List<Gated> gs, double tg, double tp, double minPrecision, boolean harmonicMean) {
    Best<double[]> best = new Best<>(harmonicMean, minPrecision);
    for (int b = 0; b < 100; b++) {
      for (int a = 1; a < 100; a++) {
        double tTop = a / 100.0, r = b / 100.0;
        best.offer(
            new double[] {tTop, r},
            counts(gs, tg, tp, r, tTop),
            () -> share(listedCounts(gs, tg, tp, r, tTop)));
      }
    }
    return best.best();
  }

  /** The old product floor's search precision on the inner scores: the bound the variants keep. */
  private static double minSearch(List<Scored> s11) {
    return share(floorListed(s11, RelevanceFit.searchFloor(s11)));
  }

  /** {@code --write}: the variants' choices on all twelve projects, at the shipped procedure's. */
  void writeAll(List<Gated> all, Choice c, List<Scored> s11) {
    if (relRun) {
      // Session 20: the relative cut's r on all twelve projects, at the same (t_g, t_p).
      double minSearch = minSearch(s11);
      System.err.printf(
          Locale.ROOT,
          "relative (all twelve): t_g %.2f, t_p %.2f, r(A) %.2f, r(B) %.2f%n",
          c.floorGate(),
          c.floorPair(),
          relative(all, c.floorGate(), c.floorPair(), minSearch, false),
          relative(all, c.floorGate(), c.floorPair(), minSearch, true));
    }
    if (padFreeRun) {
      // Session 20: the pad-free t_p on all twelve projects, at the same t_g.
      double minSearch = minSearch(s11);
      double tp2 = padFree(all, c.floorGate(), minSearch, harmonicPadFree);
      System.err.printf(
          Locale.ROOT,
          "pad-free (all twelve): t_g %.2f, shipped-procedure t_p %.2f, pad-free t_p %.2f"
              + " (inner min precision %.3f)%n",
          c.floorGate(),
          c.floorPair(),
          tp2,
          minSearch);
    }
  }

  /** An outer fold's choices on its training projects' inner scores, at the fold's (t_g, t_p). */
  void choose(String p, List<Gated> inner, Choice c, List<Scored> s11) {
    if (relRun) {
      double minSearch = minSearch(s11);
      double ra = relative(inner, c.floorGate(), c.floorPair(), minSearch, false);
      relFallback += Double.isNaN(ra) ? 1 : 0;
      relA.add(Double.isNaN(ra) ? 0 : ra);
      relB.add(relative(inner, c.floorGate(), c.floorPair(), minSearch, true));
      jc = relativeJoint(inner, c.floorPair(), minSearch);
      relCFallback += jc == null ? 1 : 0;
      if (jc == null) {
        jc = new double[] {c.floorGate(), 0};
      }
      relC.add(String.format(Locale.ROOT, "%.2f/%.2f", jc[0], jc[1]));
      d1 = relativeTop(inner, c.floorGate(), c.floorPair(), minSearch, false);
      relD1Fallback += d1 == null ? 1 : 0;
      if (d1 == null) {
        d1 = new double[] {c.floorPair(), 0};
      }
      d2 = relativeTop(inner, c.floorGate(), c.floorPair(), minSearch, true);
      relD1.add(String.format(Locale.ROOT, "%.2f/%.2f", d1[0], d1[1]));
      relD2.add(String.format(Locale.ROOT, "%.2f/%.2f", d2[0], d2[1]));
      System.err.printf(
          Locale.ROOT,
          "relative: fold %s t_g %.2f t_p %.2f inner min precision %.3f r(A) %s r(B) %.2f%n",
          p,
          c.floorGate(),
          c.floorPair(),
          minSearch,
          Double.isNaN(ra) ? "fallback" : String.format(Locale.ROOT, "%.2f", ra),
          relB.get(relB.size() - 1));
    }
    if (padFreeRun) {
      double minSearch = minSearch(s11);
      double tp2 = padFree(inner, c.floorGate(), minSearch, harmonicPadFree);
      padFellBack = Double.isNaN(tp2);
      padFallback += padFellBack ? 1 : 0;
      padTp.add(padFellBack ? c.floorPair() : tp2);
      padMin.add(minSearch);
    }
  }

  /** The fold's left-out counts under its choices; the pad-free row printed before the fold's. */
  void measure(String p, List<Gated> mine, Choice c) {
    if (relRun) {
      double ra = relA.get(relA.size() - 1), rb = relB.get(relB.size() - 1);
      relACounts.add(counts(mine, c.floorGate(), c.floorPair(), ra));
      relBCounts.add(counts(mine, c.floorGate(), c.floorPair(), rb));
      relCCounts.add(counts(mine, jc[0], c.floorPair(), jc[1]));
      relD1Counts.add(counts(mine, c.floorGate(), c.floorPair(), d1[1], d1[0]));
      add(relD1Listed, listedCounts(mine, c.floorGate(), c.floorPair(), d1[1], d1[0]));
      relD2Counts.add(counts(mine, c.floorGate(), c.floorPair(), d2[1], d2[0]));
      add(relD2Listed, listedCounts(mine, c.floorGate(), c.floorPair(), d2[1], d2[0]));
      add(relCListed, listedCounts(mine, jc[0], c.floorPair(), jc[1]));
      add(relAListed, listedCounts(mine, c.floorGate(), c.floorPair(), ra));
      add(relBListed, listedCounts(mine, c.floorGate(), c.floorPair(), rb));
      for (int k = 0; k < 10; k++) {
        sweep.get(k).add(counts(mine, c.floorGate(), c.floorPair(), k / 10.0));
        add(sweepListed[k], listedCounts(mine, c.floorGate(), c.floorPair(), k / 10.0));
      }
    }
    if (padFreeRun) {
      double tp2 = padTp.get(padTp.size() - 1);
      Counts pc = counts(mine, c.floorGate(), tp2);
      padCounts.add(pc);
      add(padListed, listedCounts(mine, c.floorGate(), tp2));
      System.out.printf(
          Locale.ROOT,
          "| %s (pad-free) | | %.2f / %.2f%s (inner min precision %.3f) | | | | %.3f | %.3f |"
              + " %.3f | |%n",
          p,
          c.floorGate(),
          tp2,
          padFellBack ? " (fallback)" : "",
          padMin.get(padMin.size() - 1),
          pc.recall5(),
          pc.mrr(),
          pc.abstention());
    }
  }

  /** The variants' pooled left-out figures, after the shipped procedure's search precision. */
  void printPooled() {
    if (relRun) {
      Counts ac = Counts.sum(relACounts), bc = Counts.sum(relBCounts);
      System.out.printf(
          Locale.ROOT,
          "%n**relative cut A (bound), all**: recall@5 %.3f, MRR %.3f, abstention %.3f, search"
              + " precision %.3f (%d/%d); r per fold %s; fallbacks %d%n",
          ac.recall5(),
          ac.mrr(),
          ac.abstention(),
          share(relAListed),
          relAListed[1],
          relAListed[0],
          relA,
          relFallback);
      System.out.printf(
          Locale.ROOT,
          "**relative cut B (harmonic), all**: recall@5 %.3f, MRR %.3f, abstention %.3f, search"
              + " precision %.3f (%d/%d); r per fold %s%n",
          bc.recall5(),
          bc.mrr(),
          bc.abstention(),
          share(relBListed),
          relBListed[1],
          relBListed[0],
          relB);
      Counts cc = Counts.sum(relCCounts);
      System.out.printf(
          Locale.ROOT,
          "**relative cut C (t_g and r, bound), all**: recall@5 %.3f, MRR %.3f, abstention %.3f,"
              + " search precision %.3f (%d/%d); t_g/r per fold %s; fallbacks %d%n",
          cc.recall5(),
          cc.mrr(),
          cc.abstention(),
          share(relCListed),
          relCListed[1],
          relCListed[0],
          relC,
          relCFallback);
      Counts e1 = Counts.sum(relD1Counts), e2 = Counts.sum(relD2Counts);
      System.out.printf(
          Locale.ROOT,
          "**relative cut D1 (t_top and r, bound), all**: recall@5 %.3f, MRR %.3f, abstention %.3f,"
              + " search precision %.3f (%d/%d); t_top/r per fold %s; fallbacks %d%n",
          e1.recall5(),
          e1.mrr(),
          e1.abstention(),
          share(relD1Listed),
          relD1Listed[1],
          relD1Listed[0],
          relD1,
          relD1Fallback);
      System.out.printf(
          Locale.ROOT,
          "**relative cut D2 (t_top and r, harmonic), all**: recall@5 %.3f, MRR %.3f, abstention"
              + " %.3f, search precision %.3f (%d/%d); t_top/r per fold %s%n",
          e2.recall5(),
          e2.mrr(),
          e2.abstention(),
          share(relD2Listed),
          relD2Listed[1],
          relD2Listed[0],
          relD2);
      System.out.println();
      System.out.println(
          "| fixed r (diagnostic) | recall@5 | MRR | abstention | search precision |");
      System.out.println("|---:|---:|---:|---:|---:|");
      for (int k = 0; k < 10; k++) {
        Counts w = Counts.sum(sweep.get(k));
        System.out.printf(
            Locale.ROOT,
            "| %.1f | %.3f | %.3f | %.3f | %.3f (%d/%d) |%n",
            k / 10.0,
            w.recall5(),
            w.mrr(),
            w.abstention(),
            share(sweepListed[k]),
            sweepListed[k][1],
            sweepListed[k][0]);
      }
    }
    if (padFreeRun) {
      Counts pc = Counts.sum(padCounts);
      System.out.printf(
          Locale.ROOT,
          "**pad-free t_p, all**: recall@5 %.3f, MRR %.3f, abstention %.3f, search precision %.3f"
              + " (%d/%d); t_p per fold %s; fallbacks %d%n",
          pc.recall5(),
          pc.mrr(),
          pc.abstention(),
          share(padListed),
          padListed[1],
          padListed[0],
          padTp,
          padFallback);
    }
  }

  private static void add(int[] to, int[] c) {
    TwoThresholdFit.add(to, c);
  }
}
