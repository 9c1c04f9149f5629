package dev.omem.retrieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** memory_search's own decision (session 18's sixth candidate) on fixed cases. */
class SearchGateTest {
  /** A gate whose probability is the best pair probability itself: sigmoid(logit(top)). */
  private static final SearchGate TOP_HALF =
      new SearchGate(
          new RelevanceGate(
              List.of("logit_top"), new double[] {0}, new double[] {1}, new double[] {0, 1}),
          0.5,
          0.01,
          0);

  private static double[][] rows(int n) {
    return new double[n][RelevanceFeatures.NAMES.size()];
  }

  @Test
  void theGateAloneDecidesWhetherAQueryIsAnswered() {
    assertTrue(TOP_HALF.opens(new double[] {0.6, 0.02}, rows(2), null));
    assertFalse(TOP_HALF.opens(new double[] {0.4, 0.39}, rows(2), null), "0.4 < t_g 0.5");
    assertFalse(TOP_HALF.opens(new double[0], rows(0), null), "no candidates, no answer");
    assertTrue(SearchGate.NONE.opens(new double[0], rows(0), null), "off: the old floor decides");
  }

  @Test
  void theShippedFileReadsTheQueryStyleGateAndBothThresholds() {
    SearchGate g = SearchGate.shipped();
    assertFalse(g.none());
    assertTrue(g.gate().names().contains(RelevanceGate.QUERY_STYLE));
    assertEquals(0.73, g.gateThreshold());
    assertEquals(0.01, g.pairThreshold());
    assertEquals(4, g.minCandidates());
  }

  @Test
  void aFileWithoutItsThresholdsFailsWithTheLineNamed() {
    String gateOnly =
        "gate_features logit_top\ngate_mean 0\ngate_scale 1\ngate_weights 0 1\n"
            + "search_gate_threshold 0.7\nsearch_gate_min_candidates 4\n";
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> SearchGate.parse(gateOnly, "f"));
    assertTrue(e.getMessage().contains("search_pair_threshold"), e.getMessage());
    assertTrue(SearchGate.parse("none\n", "f").none());
    assertThrows(
        IllegalStateException.class,
        () -> SearchGate.parse("search_gate_threshold 0.7\nsearch_pair_threshold 0.1\n", "f"));
  }
}
