package dev.omem.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** Session 18's two measured pair features on fixed cases. */
class QueryPiecesFitTest {
  @Test
  void thePiecesMeanLeavesTheInstructionsPiecesOut() {
    float[][] states = {{1, 0}, {0, 1}, {0.6f, 0.8f}, {0.8f, 0.6f}};
    assertArrayEquals(new double[] {0.7, 0.7}, QueryPiecesFit.piecesMean(states, 2), 1e-6);
    assertArrayEquals(new double[] {0.6, 0.6}, QueryPiecesFit.piecesMean(states, 0), 1e-6);
  }

  @Test
  void zScoresAreAmongTheQuerysOwnCandidatesAndAFlatListGivesZero() {
    assertArrayEquals(
        new double[] {-1.224744871, 0, 1.224744871},
        QueryPiecesFit.zscores(new double[] {1, 2, 3}),
        1e-9);
    assertArrayEquals(new double[] {0, 0}, QueryPiecesFit.zscores(new double[] {0.5, 0.5}), 0);
  }
}
