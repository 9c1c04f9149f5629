package dev.omem.retrieve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The gate's query contrast features on fixed candidates (computed by hand). */
class QueryContrastTest {
  private static final List<String> F = RelevanceFeatures.NAMES;

  private static double[] row(double cosine, int vectorRank, int bm25Rank) {
    double[] x = new double[RelevanceFeatures.SIZE];
    x[F.indexOf("cosine")] = cosine;
    x[F.indexOf("log_vector_rank")] = Math.log(1 + vectorRank);
    x[F.indexOf("log_bm25_rank")] = Math.log(1 + bm25Rank);
    return x;
  }

  @Test
  void theBestCosineAgainstTheOthersAndTheTopCandidatesAgreement() {
    // cosines 0.7, 0.5, 0.6, 0.4: mean 0.55, population sd sqrt(0.0125)
    double[][] x = {row(0.7, 0, 0), row(0.5, 2, 1), row(0.6, 1, 3), row(0.4, 3, 2)};
    double[] p = {0.9, 0.2, 0.4, 0.1};
    double sd = Math.sqrt((0.0225 + 0.0025 + 0.0025 + 0.0225) / 4);
    assertArrayEquals(
        new double[] {(0.7 - 0.55) / sd, 0.55, 1}, QueryContrast.features(p, x), 1e-12);
  }

  @Test
  void theMostProbableCandidateNotFirstInBothListsIsNoAgreement() {
    double[][] x = {row(0.7, 0, 1), row(0.5, 1, 0)};
    assertEquals(0, QueryContrast.features(new double[] {0.9, 0.2}, x)[2]);
    // the most probable candidate, not the best cosine, is the one read
    double[][] y = {row(0.7, 1, 1), row(0.5, 0, 0)};
    assertEquals(1, QueryContrast.features(new double[] {0.2, 0.9}, y)[2]);
  }

  @Test
  void candidatesAllAlikeOrNoneGiveNoContrast() {
    double[][] flat = {row(0.6, 0, 0), row(0.6, 1, 1), row(0.6, 2, 2)};
    assertEquals(0, QueryContrast.features(new double[] {0.5, 0.4, 0.3}, flat)[0]);
    assertArrayEquals(
        new double[] {0, 0, 0}, QueryContrast.features(new double[0], new double[0][]), 0);
  }
}
