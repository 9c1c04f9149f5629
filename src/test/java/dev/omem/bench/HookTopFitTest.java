package dev.omem.bench;

import static dev.omem.bench.GatedLane.prompt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.omem.bench.HookTopFit.Counts;
import dev.omem.bench.HookTopFit.Rule;
import dev.omem.bench.TwoThresholdFit.Gated;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Session 20's hook rules on fixed prompts: the best memory regardless, the rest over t_2. */
class HookTopFitTest {
  private static final List<Gated> LANE =
      List.of(
          // answerable, open gate, a weak best pair that is relevant, a weak second
          prompt(true, 0.9, new double[] {0.05, 0.04, 0.01}, new boolean[] {true, false, false}),
          // answerable, open gate, the relevant memory second with a strong pair
          prompt(true, 0.8, new double[] {0.7, 0.6}, new boolean[] {false, true}),
          // unrelated, closed gate, a strong pair
          prompt(false, 0.2, new double[] {0.9}, new boolean[] {false}),
          // unrelated, open gate
          prompt(false, 0.85, new double[] {0.3, 0.2}, new boolean[] {false, false}));

  @Test
  void anOpenGateInjectsTheBestMemoryWhateverItsPairProbability() {
    Counts c = HookTopFit.counts(LANE, new Rule(0.5, 0, 0.5, 3));
    // prompt 1: its best (0.05) alone; prompt 2: both (0.6 ≥ 0.5); prompt 4: its best alone
    assertEquals(1 + 2 + 1, c.injected());
    assertEquals(2, c.hits());
    assertEquals(2, c.injectedRelevant());
    assertEquals(0.5, c.quietRate(), 1e-9);
  }

  @Test
  void kMaxAndTheFirstFloorCutTheRest() {
    // k 1: prompt 2 loses its relevant second memory
    assertEquals(1, HookTopFit.counts(LANE, new Rule(0.5, 0, 0.5, 1)).hits());
    // variant B's t_1 0.1 drops prompt 1 (best 0.05), keeps prompt 2 and 4
    Counts b = HookTopFit.counts(LANE, new Rule(0.5, 0.1, 0.5, 3));
    assertEquals(1, b.hits());
    assertEquals(3, b.injected());
  }

  @Test
  void variantCReadsTheProductWithALowerBarForTheFirst() {
    // products: p1 0.045/0.036; p2 0.56/0.48; p3 0.18; p4 0.255/0.17
    Counts c = HookTopFit.counts(LANE, new Rule(0.04, -1, 0.5, 3), true);
    assertEquals(1 + 1 + 1 + 1, c.injected()); // every first passes 0.04, no second passes 0.5
    assertEquals(1, c.hits());
    assertEquals(0, c.quiet());
  }

  @Test
  void theChoiceMeetsQuietAndPrecisionOrThereIsNone() {
    // Quiet 0.90 needs both unrelated prompts silent: t_g 0.86-0.90 opens prompt 1 only.
    Rule r = HookTopFit.choose(LANE, HookTopFit.A, 0.6);
    assertNotNull(r);
    Counts c = HookTopFit.counts(LANE, r);
    assertEquals(1, c.hits());
    assertEquals(1.0, c.quietRate(), 1e-9);
    assertEquals(0.90, r.tg(), 1e-9); // ties: the most hits, then precision, then the higher t_g
    assertNull(HookTopFit.choose(List.of(LANE.get(3)), HookTopFit.A, 0.6));
  }
}
