package dev.omem.retrieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The gate's query style: its arithmetic, its weights-file line, and the gate reading it. */
class QueryStyleTest {
  private static final List<String> F = RelevanceFeatures.NAMES;

  @Test
  void logOddsAreTheInterceptPlusTheDotProductWithTheQueryVector() {
    QueryStyle s = new QueryStyle(new double[] {-0.5, 2, -1, 0.25});
    assertEquals(-0.5 + 2 * 0.6 - 1 * 0.8 + 0.25 * 0, s.logit(new float[] {0.6f, 0.8f, 0}), 1e-6);
    assertEquals(0, s.logit(null), "no vector (BM25 mode): no style");
    assertEquals(0, QueryStyle.NONE.logit(new float[] {1, 0, 0}));
    assertThrows(IllegalArgumentException.class, () -> s.logit(new float[] {1, 0}));
    assertThrows(IllegalArgumentException.class, () -> new QueryStyle(new double[] {1}));
    assertThrows(
        IllegalArgumentException.class, () -> new QueryStyle(new double[] {0, Double.NaN}));
  }

  /** A gate reading only query_style (weight 1 on log-odds standardised by mean 0, scale 1). */
  private static RelevanceModel styled() {
    RelevanceGate gate =
        new RelevanceGate(
            List.of(RelevanceGate.QUERY_STYLE),
            new double[] {0},
            new double[] {1},
            new double[] {0, 1},
            new QueryStyle(new double[] {0, 3, -3}));
    return new RelevanceModel(
        List.of("cosine"), new double[] {0}, new double[] {1}, new double[] {0, 1}, 0.4, 0.4, gate);
  }

  @Test
  void theGateLetsThroughAQueryWhoseVectorReadsAnswerableAndHoldsBackOneThatDoesNot() {
    RelevanceModel m = styled();
    double[] row = new double[F.size()];
    row[F.indexOf("cosine")] = 1.0;
    double[][] x = {row};
    double pair = 1 / (1 + Math.exp(-1.0));
    double task = m.scores(x, new float[] {1, 0})[0]; // style log-odds 3
    double chat = m.scores(x, new float[] {0, 1})[0]; // style log-odds -3
    assertEquals(pair / (1 + Math.exp(-3)), task, 1e-12);
    assertEquals(pair / (1 + Math.exp(3)), chat, 1e-12);
    assertTrue(task > m.hookThreshold() && chat < m.hookThreshold(), task + " vs " + chat);
  }

  @Test
  void aWeightsFileWithAQueryStyleReadsBackEqualAndAGateMissingItFails() {
    RelevanceModel m = styled();
    String text = m.format(List.of("styled"));
    assertTrue(text.contains("gate_query_style 0.0 3.0 -3.0\n"), text);
    assertEquals(m, RelevanceModel.parse(text, "styled"));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> RelevanceModel.parse(text.replaceAll("(?m)^gate_query_style.*\n", ""), "w"));
    assertTrue(e.getMessage().contains("needs its query style weights"), e.getMessage());
  }
}
