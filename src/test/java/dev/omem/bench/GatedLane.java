package dev.omem.bench;

import dev.omem.bench.RelevanceFit.Pair;
import dev.omem.bench.RelevanceFit.Prompt;
import dev.omem.bench.RelevanceFit.Scored;
import dev.omem.bench.TwoThresholdFit.Gated;
import java.util.List;

/** Fixed prompts for the threshold fits' tests: a gate probability and scored candidates each. */
final class GatedLane {
  private GatedLane() {}

  /**
   * One prompt: its gate probability, its candidates' pair probabilities and which are relevant.
   */
  static Gated prompt(boolean answerable, double gate, double[] p, boolean[] relevant) {
    Pair[] pairs = new Pair[p.length];
    int rel = 0;
    for (int i = 0; i < p.length; i++) {
      pairs[i] = new Pair(relevant[i], new double[0]);
      rel += relevant[i] ? 1 : 0;
    }
    return Gated.of(new Scored(new Prompt("x", answerable, rel, List.of(pairs)), p), gate);
  }
}
