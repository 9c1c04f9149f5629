package dev.omem.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.bench.RelevanceFit.Pair;
import dev.omem.bench.RelevanceFit.Prompt;
import dev.omem.bench.RelevanceFit.Scored;
import dev.omem.bench.TwoThresholdFit.Gated;
import dev.omem.retrieve.QueryStyle;
import dev.omem.retrieve.RelevanceModel;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Session 22's joint model fitted on fixed prompts: when only the best candidate's coverage of the
 * query's words tells answerable prompts from unrelated ones (the same pair probabilities, the same
 * best coverage among all candidates), the joint model learns it, and its inner left-out
 * probabilities (each project scored by a model fitted without it) separate them.
 */
class JointGateFitTest {
  private static final List<String> F = RelevanceModel.featureNames();

  private static double[] row(double coverage) {
    double[] x = new double[F.size()];
    x[F.indexOf("coverage")] = coverage;
    x[F.indexOf("best_cosine")] = 0.6;
    return x;
  }

  /** Best candidate (p 0.4) covering {@code topCoverage}; a second (p 0.2) covering 0.9. */
  private static Scored prompt(String project, boolean answerable, double topCoverage) {
    List<Pair> pairs = List.of(new Pair(answerable, row(topCoverage)), new Pair(false, row(0.9)));
    return new Scored(
        new Prompt(project, answerable, answerable ? 1 : 0, pairs), new double[] {0.4, 0.2});
  }

  @Test
  void theBestCandidatesCoverageSeparatesWhatThePairProbabilitiesCannot() {
    List<Scored> inner = new ArrayList<>();
    for (String p : List.of("a", "b", "c")) {
      for (int i = 0; i < 4; i++) {
        inner.add(prompt(p, true, 0.7 + 0.05 * i));
        inner.add(prompt(p, false, 0.05 + 0.05 * i));
      }
    }
    JointGateFit.Fitted f = JointGateFit.fit(inner, new IdentityHashMap<>(), QueryStyle.NONE);
    assertEquals("joint", f.set(), "no query style to read");
    for (Gated g : f.inner()) {
      boolean ans = g.prompt().answerable();
      assertTrue(ans ? g.gate() > 0.5 : g.gate() < 0.5, g.prompt() + ": " + g.gate());
    }
    assertTrue(
        f.model().probability(new double[] {0.4, 0.2}, new double[][] {row(0.8), row(0.9)}, null)
            > f.model()
                .probability(new double[] {0.4, 0.2}, new double[][] {row(0.1), row(0.9)}, null));
  }
}
