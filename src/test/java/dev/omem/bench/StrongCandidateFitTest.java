package dev.omem.bench;

import static dev.omem.bench.GatedLane.prompt;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.omem.bench.TwoThresholdFit.Gated;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Session 21's choice of (t_g, t_hi) on fixed prompts: a strong pair opens, abstention binds. */
class StrongCandidateFitTest {
  /**
   * One confident answerable prompt, one the gate doubts with a strong relevant pair, unrelated.
   */
  private static List<Gated> lane(double... strongUnrelated) {
    List<Gated> l = new ArrayList<>();
    l.add(prompt(true, 0.9, new double[] {0.5}, new boolean[] {true}));
    l.add(prompt(true, 0.1, new double[] {0.85, 0.1}, new boolean[] {true, false}));
    for (int i = 0; i < 9; i++) {
      l.add(prompt(false, 0.1, new double[] {0.2}, new boolean[] {false}));
    }
    for (double p : strongUnrelated) {
      l.add(prompt(false, 0.1, new double[] {p}, new boolean[] {false}));
    }
    return l;
  }

  @Test
  void aStrongRelevantPairOpensItsPromptAtTheHighestThresholdThatKeepsAbstention() {
    // One unrelated prompt at 0.95 opens too at t_hi 0.85: abstention 9/10, still >= 0.90.
    List<Gated> l = lane(0.95);
    assertArrayEquals(new double[] {0.9, 0.85}, StrongCandidateFit.choose(l, 0.05, -1), 1e-9);
    assertEquals(
        1.0, TwoThresholdFit.counts(StrongCandidateFit.opened(l, 0.85), 0.9, 0.05).recall5(), 1e-9);
    assertEquals(0.5, TwoThresholdFit.counts(l, 0.9, 0.05).recall5(), 1e-9, "gate alone");
  }

  @Test
  void whenOpeningCostsAbstentionUnderTheBarTheStrongThresholdStaysOff() {
    // Two unrelated prompts at 0.9 and 0.95: any t_hi that opens the 0.85 prompt leaves 9/11.
    double[] c = StrongCandidateFit.choose(lane(0.9, 0.95), 0.05, -1);
    assertEquals(StrongCandidateFit.OFF, c[1]);
    assertEquals(0.9, c[0], 1e-9);
  }
}
