package dev.omem.ingest;

import java.util.List;

/**
 * Session 22's second experiment of {@link FitExtraction} ({@code -Dfit.beforestage=true} with
 * {@code -Dfit.before=8}): a second stage only for the pieces the first stage barely accepts. A
 * kept piece whose probability is less than {@code band} above its threshold stays only when the
 * same model with the turn before's inputs ({@link TurnBeforeInputs}, at the first stage's lambda,
 * features, extras) also gives it at least {@code threshold}. Session 21 read the turn before as
 * inputs of the one stage: it separated facts from must-not items better (AUC 0.662 -> 0.682) but
 * its threshold cost recall. Here the stage only removes pieces, and (band, threshold) is chosen on
 * the inner folds among those keeping the first stage's inner recall.
 */
final class TurnBeforeStage {
  static final boolean ON = Boolean.getBoolean("fit.beforestage");

  /** The bands tried, fixed before the run (1: every kept piece is read by the stage). */
  private static final double[] BANDS = {0.05, 0.1, 0.2, 0.4, 1};

  /**
   * A stage: pieces within {@code band} above the threshold need {@code threshold}; band 0: none.
   */
  record Stage(double band, double threshold) {}

  private TurnBeforeStage() {}

  /** Each piece's out-of-fold probability over {@code repos} under {@code c}. */
  static double[] outOfFold(
      List<FitExtraction.Piece> pieces,
      List<String> repos,
      FitExtraction.Config c,
      boolean before) {
    double[] p = new double[pieces.size()];
    for (String r : repos) {
      List<FitExtraction.Piece> train = pieces.stream().filter(x -> !x.repo().equals(r)).toList();
      double[] w =
          FitExtraction.train(train, c.lambda(), c.rules(), c.extra(), c.mustNot(), before);
      double[][] ms = FitExtraction.meanStd(train, before);
      for (int i = 0; i < pieces.size(); i++) {
        if (pieces.get(i).repo().equals(r)) {
          p[i] = FitExtraction.prob(w, pieces.get(i), ms, c.rules());
        }
      }
    }
    return p;
  }

  /** The first stage's kept pieces that pass the second. */
  static boolean[] pass(boolean[] kept, double[] p, double t, double[] before, Stage s) {
    boolean[] out = new boolean[kept.length];
    for (int i = 0; i < kept.length; i++) {
      out[i] = kept[i] && (s.band() == 0 || p[i] >= t + s.band() || before[i] >= s.threshold());
    }
    return out;
  }

  /**
   * The stage with the best inner objective among those whose inner one-to-one recall is not below
   * the first stage's; none (band 0) unless one is strictly better than the first stage alone.
   */
  static Stage choose(
      List<FitExtraction.Piece> train,
      List<FitExtraction.Fact> facts,
      List<String> inner,
      FitExtraction.Config c) {
    double[] p = outOfFold(train, inner, c, false);
    double[] b = outOfFold(train, inner, c, true);
    boolean[] kept = FitExtraction.kept(train, p, c.threshold(), c.perTurn(), c.merge());
    int[] first = FitExtraction.counts(train, facts, kept);
    double best = FitExtraction.objective(FitExtraction.ratios(first));
    Stage chosen = new Stage(0, 0);
    for (double band : BANDS) {
      for (double t = 0.02; t < 0.95; t += 0.025) {
        Stage s = new Stage(band, t);
        int[] n = FitExtraction.counts(train, facts, pass(kept, p, c.threshold(), b, s));
        double o = FitExtraction.objective(FitExtraction.ratios(n));
        if (n[0] >= first[0] && o > best) {
          best = o;
          chosen = s;
        }
      }
    }
    return chosen;
  }
}
