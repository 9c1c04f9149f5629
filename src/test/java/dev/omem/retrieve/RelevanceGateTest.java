package dev.omem.retrieve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The prompt-level gate on fixed cases: its features, its arithmetic, its weights-file lines. */
class RelevanceGateTest {
  private static final int N = RelevanceFeatures.SIZE;
  private static final int G = RelevanceGate.NAMES.size();
  private static final List<String> F = RelevanceFeatures.NAMES;

  /** A pair model reading only the cosine (weight 1, standardised by mean 0 and scale 1). */
  private static RelevanceModel cosineModel(RelevanceGate gate) {
    return new RelevanceModel(
        List.of("cosine"), new double[] {0}, new double[] {1}, new double[] {0, 1}, 0.4, 0.4, gate);
  }

  /** A gate reading only one of its features, with weight {@code w} and intercept {@code b}. */
  private static RelevanceGate gateOn(int feature, double b, double w) {
    double[] mean = new double[G];
    double[] scale = new double[G];
    Arrays.fill(scale, 1);
    double[] weights = new double[G + 1];
    weights[0] = b;
    weights[feature + 1] = w;
    return new RelevanceGate(mean, scale, weights);
  }

  private static double[] row(double cosine, double coverage, double idfCoverage) {
    double[] x = new double[N];
    x[F.indexOf("cosine")] = cosine;
    x[F.indexOf("coverage")] = coverage;
    x[F.indexOf("idf_coverage")] = idfCoverage;
    x[F.indexOf("best_cosine")] = 0.7;
    x[F.indexOf("query_words_in_store")] = 0.5;
    x[F.indexOf("log_query_words")] = Math.log(4);
    return x;
  }

  @Test
  void theGateFeaturesOfAFixedQuery() {
    double[] p = {0.1, 0.8, 0.5, 0.2, 0.3, 0.05};
    double[][] x = {
      row(0.5, 0.25, 0.1), row(0.7, 0.5, 0.4), row(0.6, 0.0, 0.0),
      row(0.5, 0.0, 0.0), row(0.5, 0.0, 0.0), row(0.4, 0.0, 0.0)
    };
    double[] g = RelevanceGate.features(p, x);
    double l8 = Math.log(0.8 / 0.2);
    double l5 = Math.log(0.5 / 0.5);
    double top5 = (0.8 + 0.5 + 0.3 + 0.2 + 0.1) / 5;
    assertArrayEquals(
        new double[] {l8, l8 - l5, Math.log(top5 / (1 - top5)), 0.7, 0.5, Math.log(4), 0.5, 0.4},
        Arrays.copyOf(g, G),
        1e-12);
    // then the query style (0: none given), in ALL's order
    assertEquals(RelevanceGate.ALL.size(), g.length);
    assertEquals(0, g[g.length - 1]);
    assertEquals(2.5, RelevanceGate.features(p, x, 2.5)[g.length - 1]);
  }

  @Test
  void theGateMultipliesEveryCandidateOfAQueryByOneFactorKeepingTheirOrder() {
    // gate = sigmoid(-1 + 0.5 * logit_top)
    RelevanceModel m = cosineModel(gateOn(0, -1, 0.5));
    double[][] x = {row(2.0, 0, 0), row(0.5, 0, 0), row(-1.0, 0, 0)};
    double[] p = {sigmoid(2.0), sigmoid(0.5), sigmoid(-1.0)};
    double factor = sigmoid(-1 + 0.5 * 2.0); // logit of the best probability is 2.0
    double[] s = m.scores(x);
    for (int i = 0; i < 3; i++) {
      assertEquals(p[i] * factor, s[i], 1e-12);
    }
    assertTrue(s[0] > s[1] && s[1] > s[2]);
    // without a gate the scores are the pair probabilities
    assertArrayEquals(p, cosineModel(RelevanceGate.NONE).scores(x), 1e-12);
  }

  @Test
  void aQueryWhoseBestCandidateStandsOutPassesTheGateMoreThanOneWithout() {
    // gate = sigmoid(2 * (logit_top - logit_second))
    RelevanceModel m = cosineModel(gateOn(1, 0, 2));
    double[] flat = m.scores(new double[][] {row(1.0, 0, 0), row(0.9, 0, 0)});
    double[] standing = m.scores(new double[][] {row(1.0, 0, 0), row(-2.0, 0, 0)});
    assertTrue(standing[0] > flat[0], flat[0] + " vs " + standing[0]);
    assertEquals(sigmoid(1.0) * sigmoid(2 * 0.1), flat[0], 1e-12);
  }

  @Test
  void aWeightsFileWithAGateReadsBackEqualAndOneWithoutHasNone() {
    RelevanceModel gated = cosineModel(gateOn(3, -0.5, 1.25));
    String text = gated.format(List.of("a header"));
    assertTrue(text.contains("gate_features " + String.join(" ", RelevanceGate.NAMES)), text);
    assertEquals(gated, RelevanceModel.parse(text, "test"));
    // A file as written before the gate (session 10's format) still loads, gateless.
    String old = text.replaceAll("(?m)^gate_.*\n", "");
    RelevanceModel plain = RelevanceModel.parse(old, "old");
    assertTrue(plain.gate().none());
    assertEquals(cosineModel(RelevanceGate.NONE), plain);
  }

  @Test
  void aMalformedGateFailsLoudly() {
    String good = cosineModel(gateOn(0, 0, 1)).format(List.of());
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> RelevanceModel.parse(good.replace("logit_top5_mean", "top5"), "w.txt"));
    assertTrue(e.getMessage().contains("no gate feature 'top5'"), e.getMessage());
    e =
        assertThrows(
            IllegalStateException.class,
            () -> RelevanceModel.parse(good.replace("logit_top5_mean", "logit_top"), "twice.txt"));
    assertTrue(e.getMessage().contains("named twice"), e.getMessage());
    e =
        assertThrows(
            IllegalStateException.class,
            () -> RelevanceModel.parse(good.replaceFirst("gate_weights 0.0", "gate_weights"), "w"));
    assertTrue(e.getMessage().contains("'gate_weights' has " + G + " numbers"), e.getMessage());
    assertThrows(
        IllegalStateException.class,
        () -> cosineModel(gateOn(0, 0, 1)).requireWithoutVectors(),
        "a model without vectors cannot have a gate (it reads the best cosine)");
  }

  @Test
  void aGateOverASubsetInItsOwnOrderReadsTheFeaturesByNameAndReadsBackEqual() {
    // session 12: the weights file names the gate's features; here two, not in ALL's order
    List<String> names = List.of("max_coverage", "best_cosine");
    RelevanceGate gate =
        new RelevanceGate(
            names, new double[] {1, 0.5}, new double[] {2, 0.1}, new double[] {0.2, 0.7, -1.5});
    double[] all = new double[RelevanceGate.ALL.size()];
    all[RelevanceGate.ALL.indexOf("max_coverage")] = 3;
    all[RelevanceGate.ALL.indexOf("best_cosine")] = 0.6;
    all[RelevanceGate.ALL.indexOf("log_query_words")] = 50; // not read by this gate
    double z = 0.2 + 0.7 * (3 - 1) / 2 - 1.5 * (0.6 - 0.5) / 0.1;
    assertEquals(sigmoid(z), gate.probability(all), 1e-12);
    RelevanceModel m = cosineModel(gate);
    String text = m.format(List.of());
    assertTrue(text.contains("gate_features max_coverage best_cosine\n"), text);
    assertEquals(m, RelevanceModel.parse(text, "subset"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RelevanceGate(names, new double[] {1}, new double[] {1}, new double[] {0, 1}));
  }

  @Test
  void theShippedGateRisesWithTheCandidatesProbabilitiesAndTheQuerysFitToTheStore() {
    RelevanceModel m = RelevanceModel.shipped();
    assertFalse(m.gate().none(), "the shipped weights carry the gate");
    assertTrue(RelevanceModel.shippedWithoutVectors().gate().none());
    double[] low = RelevanceGate.features(new double[] {0.30, 0.20, 0.10}, rows(3));
    double[] high = RelevanceGate.features(new double[] {0.60, 0.50, 0.40}, rows(3));
    assertTrue(
        m.gate().probability(high) > m.gate().probability(low),
        m.gate().probability(low) + " vs " + m.gate().probability(high));
    // the same candidates, the query's words all found among them and its best cosine higher
    double[] fits = high.clone();
    fits[RelevanceGate.NAMES.indexOf("query_words_in_store")] = 1.0;
    fits[RelevanceGate.NAMES.indexOf("best_cosine")] = 0.8;
    assertTrue(m.gate().probability(fits) > m.gate().probability(high));
  }

  private static double[][] rows(int n) {
    double[][] x = new double[n][];
    for (int i = 0; i < n; i++) {
      x[i] = row(0.6, 0.2, 0.1);
    }
    return x;
  }

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }
}
