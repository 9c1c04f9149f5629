package dev.omem.bench;

import dev.omem.bench.TwoThresholdFit.Counts;
import dev.omem.bench.TwoThresholdFit.Gated;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 14 / 13, session 24 (docs/relevance/threshold-rule.md, "Session 24: a cut under a strong
 * first result"): the default search lists a memory when p >= t_p and, if the query's best pair
 * probability p_top >= {@code strong}, also p >= {@code ratio} x p_top. (s, r) is chosen on inner
 * left-out probabilities: the highest search precision among the cuts that keep the inner recall@5
 * and reciprocal-rank sums of no cut. Measured and not shipped (BENCHMARKS.md, "Session 24: a cut
 * under a strong first result"): the product's {@code SearchGate} reads no such lines (commit
 * ad5b4ca on s24-supersede had them as {@code search_strong_top} and {@code search_relative_cut}).
 */
final class StrongTopCut {
  private StrongTopCut() {}

  /** A cut; {@link #NONE} lists as the shipped floor does. */
  record Cut(double strong, double ratio) {
    static final Cut NONE = new Cut(Double.POSITIVE_INFINITY, 0);

    boolean none() {
      return ratio == 0 || Double.isInfinite(strong);
    }
  }

  private static boolean strong(Gated g, double s) {
    return g.order().length > 0 && g.p()[g.order()[0]] >= s;
  }

  /** The prompts the cut reaches, and the others. */
  private static List<List<Gated>> split(List<Gated> gs, Cut c) {
    List<Gated> cut = new ArrayList<>(), kept = new ArrayList<>();
    for (Gated g : gs) {
      (!c.none() && strong(g, c.strong()) ? cut : kept).add(g);
    }
    return List.of(cut, kept);
  }

  static Counts counts(List<Gated> gs, double tg, double tp, Cut c) {
    List<List<Gated>> s = split(gs, c);
    return Counts.sum(
        List.of(
            TwoThresholdFit.counts(s.get(0), tg, tp, c.ratio()),
            TwoThresholdFit.counts(s.get(1), tg, tp, 0)));
  }

  /** {@code [listed, relevant]} of the default search under the cut. */
  static int[] listed(List<Gated> gs, double tg, double tp, Cut c) {
    List<List<Gated>> s = split(gs, c);
    int[] out = TwoThresholdFit.listedCounts(s.get(0), tg, tp, c.ratio());
    TwoThresholdFit.add(out, TwoThresholdFit.listedCounts(s.get(1), tg, tp, 0));
    return out;
  }

  /** The rule's choice on {@code inner} at the fold's (t_j, t_p). */
  static Cut choose(List<Gated> inner, double tg, double tp) {
    Counts base = counts(inner, tg, tp, Cut.NONE);
    double bestPrecision = TwoThresholdFit.share(listed(inner, tg, tp, Cut.NONE));
    Cut best = Cut.NONE;
    // s downward, r upward, strict ">": ties keep the higher s, then the lower r.
    for (int a = 95; a >= 5; a -= 5) {
      for (int b = 1; b <= 60; b++) {
        Cut c = new Cut(a / 100.0, b / 100.0);
        Counts k = counts(inner, tg, tp, c);
        if (k.recall() < base.recall() - 1e-9 || k.rr() < base.rr() - 1e-9) {
          continue;
        }
        double prec = TwoThresholdFit.share(listed(inner, tg, tp, c));
        if (prec > bestPrecision + 1e-12) {
          bestPrecision = prec;
          best = c;
        }
      }
    }
    return best;
  }
}
