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
  void theShippedFileReadsTheJointModelAndBothThresholds() {
    SearchGate g = SearchGate.shipped();
    assertFalse(g.none());
    assertTrue(g.gate().none(), "session 22: the joint model decides, no query-style gate");
    assertTrue(g.joint().names().contains(RelevanceGate.QUERY_STYLE));
    assertTrue(g.joint().names().containsAll(SearchGateJoint.EXTRA));
    assertFalse(g.joint().style().none());
    assertEquals(0.75, g.gateThreshold());
    assertEquals(0.01, g.pairThreshold());
    assertEquals(4, g.minCandidates());
  }

  /**
   * A joint model whose probability is sigmoid(4 (top_coverage - 0.5)): the best candidate's
   * coverage of the query's words decides, whatever the pair probabilities say.
   */
  private static final SearchGate BY_COVERAGE =
      new SearchGate(
          RelevanceGate.NONE,
          new SearchGateJoint(
              List.of("top_coverage"),
              new double[] {0.5},
              new double[] {0.25},
              new double[] {0, 1},
              QueryStyle.NONE),
          0.5,
          0.01,
          0);

  private static double[][] covered(double... coverage) {
    double[][] x = rows(coverage.length);
    int c = RelevanceFeatures.NAMES.indexOf("coverage");
    for (int i = 0; i < coverage.length; i++) {
      x[i][c] = coverage[i];
    }
    return x;
  }

  @Test
  void theJointModelReadsTheBestCandidatesCoverage() {
    // The best candidate by pair probability is the first: its coverage 0.8 opens.
    assertTrue(BY_COVERAGE.opens(new double[] {0.3, 0.1}, covered(0.8, 0.1), null));
    // The same coverages, but the best candidate is now the one covering 0.1: shut.
    assertFalse(BY_COVERAGE.opens(new double[] {0.1, 0.3}, covered(0.8, 0.1), null));
    assertFalse(BY_COVERAGE.opens(new double[0], rows(0), null), "no candidates, no answer");
  }

  @Test
  void retrieversAgreeWhenBm25sFirstIsTheVectorsFirst() {
    int vr = RelevanceFeatures.NAMES.indexOf("log_vector_rank");
    int br = RelevanceFeatures.NAMES.indexOf("log_bm25_rank");
    int agree = SearchGateJoint.ALL.indexOf("retrievers_agree");
    double[][] x = rows(2);
    x[0][vr] = Math.log(2); // second in the vector lists, first in BM25
    x[1][br] = Math.log(2); // first in the vector lists, second in BM25
    assertEquals(0, SearchGateJoint.features(new double[] {0.5, 0.4}, x, 0)[agree]);
    x[1][br] = 0; // now BM25 ranks the vectors' first first too
    x[0][br] = Math.log(2);
    assertEquals(1, SearchGateJoint.features(new double[] {0.5, 0.4}, x, 0)[agree]);
  }

  @Test
  void aJointFileReadsBackAsWritten() {
    SearchGate g = SearchGate.shipped();
    String text =
        g.joint().format()
            + "search_gate_threshold 0.75\nsearch_pair_threshold 0.01\n"
            + "search_gate_min_candidates 4\n";
    assertEquals(g, SearchGate.parse(text, "f"));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> SearchGate.parse(text.replace("joint_mean", "joint_mean 1"), "f"));
    assertTrue(e.getMessage().contains("joint_mean"), e.getMessage());
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
