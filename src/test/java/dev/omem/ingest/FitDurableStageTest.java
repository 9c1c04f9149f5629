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
}
