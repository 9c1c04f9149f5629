package dev.omem.ingest;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.ingest.FitExtraction.Piece;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Session 21's two fit experiments on cases written for this test: the must-not weight pushes a
 * negative piece that restates a labelled not-fact further down than an equal negative that does
 * not (and weight 1 is the fit before), and the neighbour input of a training piece never reads its
 * own repository; session 22's second stage reads only barely kept pieces and never adds one.
 */
class FitExtractionWeightTest {
  private static float[] unit(double... xs) {
    double n = 0;
    for (double x : xs) {
      n += x * x;
    }
    float[] v = new float[xs.length];
    for (int i = 0; i < xs.length; i++) {
      v[i] = (float) (xs[i] / Math.sqrt(n));
    }
    return v;
  }

  @Test
  void theMustNotWeightLowersARestatingNegativeAndWeightOneIsTheFitBefore() {
    List<Piece> ps = new ArrayList<>();
    double[] rules = new double[FactFeatures.COUNT];
    for (int i = 0; i < 6; i++) {
      ps.add(new Piece(i, "c", "r", "fact " + i, unit(1, 0.1 * i, 0, 0), rules, 1, i));
    }
    // Two negatives near the positives; piece 6 restates a not-fact, piece 7 does not.
    ps.add(new Piece(6, "c", "r", "moment", unit(1, 0, 0.6, 0), rules, 0, 6));
    ps.add(new Piece(7, "c", "r", "other", unit(1, 0, 0, 0.6), rules, 0, 7));
    for (int i = 8; i < 12; i++) {
      ps.add(new Piece(i, "c", "r", "chatter " + i, unit(-1, 0.1 * i, 0.3, 0.3), rules, 0, i));
    }
    FitExtraction.EXTRAS.clear();
    FitExtraction.RESTATES = new boolean[ps.size()][1];
    FitExtraction.RESTATES[6][0] = true;
    assertTrue(FitExtraction.mustNot(ps.get(6)));
    assertFalse(FitExtraction.mustNot(ps.get(7)));
    assertFalse(FitExtraction.mustNot(ps.get(0))); // a positive is never a must-not example

    double[][] ms = FitExtraction.meanStd(ps);
    double[] plain = FitExtraction.train(ps, 0.01, 0, 0);
    assertArrayEquals(plain, FitExtraction.train(ps, 0.01, 0, 0, 1));
    double[] heavy = FitExtraction.train(ps, 0.01, 0, 0, 5);
    double plainGap =
        FitExtraction.prob(plain, ps.get(7), ms, 0) - FitExtraction.prob(plain, ps.get(6), ms, 0);
    double heavyGap =
        FitExtraction.prob(heavy, ps.get(7), ms, 0) - FitExtraction.prob(heavy, ps.get(6), ms, 0);
    assertTrue(heavyGap > plainGap + 1e-3, plainGap + " then " + heavyGap);
    assertTrue(
        FitExtraction.prob(heavy, ps.get(6), ms, 0) < FitExtraction.prob(plain, ps.get(6), ms, 0));
  }

  @Test
  void theNeighbourInputOfATrainingPieceReadsOnlyTheOtherRepositories() {
    // Repository "a" holds a positive identical to the probe; "b" holds only a distant positive
    // and a near negative. Read against {a, b}, a piece of "a" sees b's pieces only.
    Piece probe = new Piece(100, "ca", "a", "probe", unit(1, 0, 0), null, 1, 0);
    MomentPrototypes.add(probe);
    MomentPrototypes.add(new Piece(101, "ca", "a", "twin", unit(1, 0, 0), null, 1, 0));
    MomentPrototypes.add(new Piece(102, "cb", "b", "far", unit(0, 0, 1), null, 1, 0));
    MomentPrototypes.add(new Piece(103, "cb", "b", "near", unit(1, 0.2, 0), null, 0, 0));
    double both =
        MomentPrototypes.universe(List.of(probe, new Piece(0, "cb", "b", "", unit(1), null, 0, 0)));
    // Nearer b's negative than b's positive (neighbours: positive less negative; prototypes:
    // negative less positive).
    assertTrue(MomentPrototypes.value(probe, both, true) < 0);
    assertTrue(MomentPrototypes.value(probe, both, false) > 0);
    Piece outside = new Piece(104, "cc", "c", "held out", unit(1, 0, 0), null, 0, 0);
    // A held-out piece of the same vector reads a's two positives too.
    assertTrue(
        MomentPrototypes.value(outside, both, true)
            > MomentPrototypes.value(probe, both, true) + 0.5);
  }

  @Test
  void theSecondStageReadsOnlyPiecesBarelyKeptAndNeverAddsOne() {
    boolean[] kept = {true, true, true, false};
    double[] p = {0.25, 0.45, 0.25, 0.9};
    double[] before = {0.1, 0.1, 0.6, 0.9};
    // Threshold 0.2, band 0.1: pieces 0 and 2 are within it; 2 passes the second threshold 0.5.
    assertArrayEquals(
        new boolean[] {false, true, true, false},
        TurnBeforeStage.pass(kept, p, 0.2, before, new TurnBeforeStage.Stage(0.1, 0.5)));
    // No stage (band 0): the first stage's decisions.
    assertArrayEquals(
        kept, TurnBeforeStage.pass(kept, p, 0.2, before, new TurnBeforeStage.Stage(0, 0.5)));
  }
}
