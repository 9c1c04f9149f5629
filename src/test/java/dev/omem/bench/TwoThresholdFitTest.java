package dev.omem.bench;

import static dev.omem.bench.GatedLane.prompt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.bench.TwoThresholdFit.Counts;
import dev.omem.bench.TwoThresholdFit.Gated;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two-threshold figures on fixed prompts: a closed gate silences, the pair floor selects. */
class TwoThresholdFitTest {
  private static final List<Gated> LANE =
      List.of(
          // answerable, confident gate, the relevant memory second
          prompt(true, 0.9, new double[] {0.5, 0.4, 0.1}, new boolean[] {false, true, false}),
          // answerable, doubtful gate, the relevant memory first
          prompt(true, 0.3, new double[] {0.8, 0.2}, new boolean[] {true, false}),
          // unrelated, confident gate, a strong pair
          prompt(false, 0.8, new double[] {0.6, 0.1}, new boolean[] {false, false}),
          // unrelated, closed gate
          prompt(false, 0.1, new double[] {0.9}, new boolean[] {false}));

  @Test
  void aClosedGateSilencesAPromptWhateverItsPairs() {
    Counts c = counts(0.5, 0.05);
    // prompt 2 (gate 0.3) gets nothing, though its relevant pair has 0.8
    assertEquals(1, c.hits());
    assertEquals(0.5, c.quietRate(), 1e-9); // prompt 4 quiet, prompt 3 not
    assertEquals(3 + 2, c.injected());
    assertEquals(1, c.injectedRelevant());
    // search: prompt 1 finds its memory second, prompt 2 nothing
    assertEquals(0.5, c.recall5(), 1e-9);
    assertEquals(0.25, c.mrr(), 1e-9);
  }

  @Test
  void thePairThresholdChoosesWhichMemoriesWithinAnOpenPrompt() {
    Counts c = counts(0.2, 0.45);
    // prompt 1 shows only 0.5 (not relevant); prompt 2 shows 0.8 (relevant); prompt 3 shows 0.6
    assertEquals(1, c.hits());
    assertEquals(3, c.injected());
    assertEquals(1, c.injectedRelevant());
    assertEquals(0.5, c.quietRate(), 1e-9);
    assertEquals(0.5, c.abstention(), 1e-9);
  }

  @Test
  void theRuleTakesMostHitsAtQuietThenPrecisionThenTheHigherGate() {
    // Quiet 0.90 needs both unrelated prompts silent. One hit at most: prompt 1 behind a gate
    // above 0.8 (precision at most 1/2), or prompt 2 alone with the pair floor in (0.6, 0.8] and
    // the gate in (0.1, 0.3] (precision 1): the rule takes the latter, at the highest such gate.
    TwoThresholdFit.Choice c = TwoThresholdFit.choose(LANE, 0.0);
    assertFalse(c.fallback());
    assertEquals(0.30, c.hookGate(), 1e-9);
    assertEquals(0.61, c.hookPair(), 1e-9);
    Counts at = counts(c.hookGate(), c.hookPair());
    assertEquals(1, at.hits());
    assertEquals(1.0, at.precision(), 1e-9);
    // a precision no pair reaches: the rule falls back to the product
    assertTrue(TwoThresholdFit.choose(LANE, 1.01).fallback());
  }

  private static Counts counts(double tg, double tp) {
    return TwoThresholdFit.counts(LANE, tg, tp);
  }
}
