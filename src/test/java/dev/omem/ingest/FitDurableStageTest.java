package dev.omem.ingest;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.ingest.FitExtraction.Piece;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The parts of session 15's second-stage experiment on cases written for this test: the text cues
 * read what the ship rule names, the projection finds the direction the vectors vary along, and the
 * threshold 0 means "off" (every piece the first stage keeps passes).
 */
class FitDurableStageTest {
  @Test
  void cuesReadQuestionsRequestsTheMomentSubjectsAndDurableWords() {
    double[] request = FitDurableStage.cues("Please fix this now");
    assertEquals(0, request[1]); // not a question
    assertEquals(1, request[2]); // opens as a request
    assertEquals(1, request[3]); // refers to the moment
    assertEquals(0, request[4]); // names no persistent subject
    assertEquals(0, request[5]); // no durable word
    double[] rule = FitDurableStage.cues("We always deploy with `helm` from the infra/ repo.");
    assertEquals(0, rule[2]);
    assertEquals(0, rule[3]);
    assertEquals(1, rule[4]);
    assertEquals(1, rule[5]);
    assertEquals(1, FitDurableStage.cues("Can we use Vite instead?")[1]);
  }

  @Test
  void theFirstPrincipalDirectionIsTheAxisTheVectorsSpreadAlong() {
    List<Piece> ps = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      float[] v = new float[4];
      v[2] = i % 2 == 0 ? 1 : -1; // the spread
      v[0] = (i % 5) * 0.01f; // a little noise
      ps.add(new Piece(i, "c", "r", "t", v, null, 0, 0));
    }
    double[][] dirs = FitDurableStage.principal(ps, new double[4], 1);
    assertEquals(1, Math.abs(dirs[0][2]), 1e-3);
  }

  @Test
  void thresholdZeroIsOffAndAnyOtherDropsTheLowPieces() {
    boolean[] kept = {true, true, false};
    double[] p2 = {0.2, 0.7, 0.9};
    assertArrayEquals(kept, FitDurableStage.pass(kept, p2, 0));
    assertArrayEquals(new boolean[] {false, true, false}, FitDurableStage.pass(kept, p2, 0.5));
  }

  @Test
  void theContextVariantReadsTheTurnBeforeAndTheRestOfTheTurnOrZeroWhenThereIsNone() {
    float[] v = {1, 0, 0, 0};
    double[] rules = new double[FactFeatures.COUNT];
    rules[3] = 0.5; // its place in the conversation, read as given
    Piece first = new Piece(900, "c", "r", "Use pnpm.", v, rules, 1, 0);
    Piece later = new Piece(901, "c", "r", "Use pnpm.", v, rules, 1, 1);
    FitDurableStage.CTX.put(900, new float[][] {null, null, null});
    FitDurableStage.CTX.put(901, new float[][] {{0, 1, 0, 0}, {0.6f, 0.8f, 0, 0}, {0, 0, 1, 0}});
    double[][] dirs = {{1, 0, 0, 0}};
    double[][][] ctxDirs = {{{0, 1, 0, 0}}, {{0, 1, 0, 0}}};
    double[][] ctxCenters = {new double[4], new double[4]};
    double[] a = FitDurableStage.raw(first, 0.3, dirs, new double[4], ctxDirs, ctxCenters);
    double[] b = FitDurableStage.raw(later, 0.3, dirs, new double[4], ctxDirs, ctxCenters);
    int base = 1 + 1 + FitDurableStage.CUES;
    assertEquals(
        base + FitDurableStage.BLOCKS * FitDurableStage.DIMS + 2 + FactFeatures.COUNT, b.length);
    assertEquals(0, a[base]); // no turn before: the centre
    assertEquals(1, b[base], 1e-6); // the turn before, projected
    assertEquals(0.8, b[base + FitDurableStage.DIMS], 1e-6); // the rest of the turn, projected
    int at = base + FitDurableStage.BLOCKS * FitDurableStage.DIMS;
    assertEquals(0, a[at]); // a turn of one piece: no cosine to the rest
    assertEquals(0.6, b[at], 1e-6); // cosine to the rest of the turn
    assertEquals(0, b[at + 1], 1e-6); // cosine to the reply
    assertEquals(0.5, b[at + 2 + 3]); // the first-stage features follow
  }

  @Test
  void withoutAPoolOptionTheStageTrainsOnTheKeptPiecesOnly() {
    FitExtraction.Config c = new FitExtraction.Config(0.1, 12, 0.2, 2, 0, 2, 1, 1);
    assertTrue(FitDurableStage.pooled(true, 0.05, c));
    assertFalse(FitDurableStage.pooled(false, 0.19, c)); // near the threshold, not kept
  }
}
