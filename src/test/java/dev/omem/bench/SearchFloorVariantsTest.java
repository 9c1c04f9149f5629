package dev.omem.bench;

import static dev.omem.bench.GatedLane.prompt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.bench.SearchFloorVariants.Best;
import dev.omem.bench.TwoThresholdFit.Counts;
import dev.omem.bench.TwoThresholdFit.Gated;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Session 20's search-floor variants on fixed figures: the bound, the harmonic mean, the ties. */
class SearchFloorVariantsTest {
  /** Two answerable and ten unrelated prompts: recall and reciprocal ranks summed, abstentions. */
  private static Counts search(double recall, double rr, int abstained) {
    return new Counts(2, 10, 0, 0, 0, 0, recall, rr, abstained);
  }

  @Test
  void theBoundTakesTheMostRecallAtAbstentionAndPrecisionAndTiesKeepTheLaterPoint() {
    Best<String> best = new Best<>(false, 0.5);
    best.offer("a", search(1, 1, 9), () -> 0.6);
    best.offer("loud", search(2, 2, 8), () -> 0.9); // abstention 0.8
    best.offer("imprecise", search(2, 2, 9), () -> 0.4); // precision under the bound
    best.offer("lower mrr", search(1, 0.5, 10), () -> 0.9);
    best.offer("tie", search(1, 1, 10), () -> 0.5);
    assertEquals("tie", best.best());
  }

  @Test
  void theHarmonicMeanIgnoresTheBoundAndNoPointGivesNone() {
    Best<String> harmonic = new Best<>(true, 0.99);
    harmonic.offer("a", search(1, 1, 9), () -> 0.5); // recall@5 0.5, precision 0.5
    harmonic.offer("b", search(1, 1, 9), () -> 0.4);
    harmonic.offer("loud", search(2, 2, 0), () -> 1.0);
    assertEquals("a", harmonic.best());
    Best<String> none = new Best<>(false, 0.5);
    none.offer("loud", search(2, 2, 8), () -> 1.0);
    assertNull(none.best());
  }

  private static final List<Gated> LANE =
      List.of(
          // answerable, the relevant memory first and far ahead of the second
          prompt(true, 0.9, new double[] {0.8, 0.2}, new boolean[] {true, false}),
          // answerable, the relevant memory second, close to the first
          prompt(true, 0.9, new double[] {0.5, 0.45}, new boolean[] {false, true}),
          // unrelated, closed gate
          prompt(false, 0.1, new double[] {0.9}, new boolean[] {false}));

  @Test
  void theSearchesReadTheirGridsWithTheBound() {
    // Every t_p up to 0.45 lists both relevant memories (recall@5 1, MRR 0.75, precision 2/4);
    // ties keep the higher t_p.
    assertEquals(0.45, SearchFloorVariants.padFree(LANE, 0.5, 0.5, false), 1e-9);
    // Precision 1 (t_p 0.51-0.80: prompt 1's memory alone) meets a bound of 0.9 at recall@5 0.5.
    assertEquals(0.8, SearchFloorVariants.padFree(LANE, 0.5, 0.9, false), 1e-9);
    // A bound no t_p reaches: none.
    assertTrue(Double.isNaN(SearchFloorVariants.padFree(LANE, 0.5, 1.01, false)));
    // The relative cut keeps the second memory of prompt 2 up to r = 0.90 (0.45 / 0.5).
    assertEquals(0.9, SearchFloorVariants.relative(LANE, 0.5, 0.01, 0.5, false), 1e-9);
  }
}
