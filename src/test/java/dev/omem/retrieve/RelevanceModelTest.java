package dev.omem.retrieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The relevance score on fixed cases: its arithmetic, its monotonicity, its weights file. */
class RelevanceModelTest {
  private static final int N = RelevanceFeatures.SIZE;

  private static RelevanceModel unitModel(double intercept, int feature, double weight) {
    double[] mean = new double[N];
    double[] scale = new double[N];
    Arrays.fill(scale, 1);
    double[] w = new double[N + 1];
    w[0] = intercept;
    w[feature + 1] = weight;
    return new RelevanceModel(mean, scale, w, 0.3, 0.5);
  }

  @Test
  void aFixedFeatureVectorGivesTheLogisticOfItsStandardisedSum() {
    double[] mean = new double[N];
    double[] scale = new double[N];
    double[] w = new double[N + 1];
    Arrays.fill(scale, 2);
    mean[0] = 0.5;
    w[0] = -1;
    w[1] = 4; // cosine
    w[6] = 1; // coverage
    RelevanceModel m = new RelevanceModel(mean, scale, w, 0.3, 0.5);
    double[] x = new double[N];
    x[0] = 0.9; // (0.9 - 0.5) / 2 * 4 = 0.8
    x[5] = 1.0; // 1.0 / 2 * 1 = 0.5
    assertEquals(1 / (1 + Math.exp(-0.3)), m.probability(x), 1e-12);
    assertEquals(0.2689414213699951, unitModel(-1, 0, 0).probability(new double[N]), 1e-12);
  }

  /** Candidates of one query, best fused first, as the pipeline hands them over. */
  private static List<Candidate> candidates(double[] cosines, double[] bm25) {
    List<Candidate> list = new ArrayList<>();
    for (int i = 0; i < cosines.length; i++) {
      Candidate c = new Candidate("m" + i);
      c.cosine = cosines[i];
      c.vectorRank = i;
      c.bm25 = bm25[i];
      c.bm25Rank = bm25[i] > 0 ? i : -1;
      c.score = (0.4 * c.bm25 + Math.max(0, (c.cosine - 0.5) / 0.5)) / 1.4;
      list.add(c);
    }
    return list;
  }

  private static double shipped(String query, List<Candidate> list, int which) {
    return RelevanceModel.shipped().probability(RelevanceFeatures.of(query, list)[which]);
  }

  @Test
  void theShippedModelRisesWithCosineAndKeywordMatchOfTheSameCandidate() {
    String q = "how do we deploy the billing service to staging";
    double[] bm25 = {0, 0, 0, 0, 0};
    double low = shipped(q, candidates(new double[] {0.80, 0.70, 0.62, 0.60, 0.55}, bm25), 1);
    double high = shipped(q, candidates(new double[] {0.80, 0.76, 0.62, 0.60, 0.55}, bm25), 1);
    assertTrue(high > low, "a closer memory must score higher: " + low + " vs " + high);

    double[] cos = {0.80, 0.70, 0.62, 0.60, 0.55};
    double without = shipped(q, candidates(cos, new double[] {0, 0, 0, 0, 0}), 1);
    double with = shipped(q, candidates(cos, new double[] {0, 0.8, 0, 0, 0}), 1);
    assertTrue(with > without, "a BM25 match must score higher: " + without + " vs " + with);
  }

  @Test
  void theShippedModelRisesWithTheQueryWordsAMemoryHolds() {
    Set<String> words = RelevanceFeatures.contentWords("deploy billing to staging", true);
    assertEquals(
        0.0, RelevanceFeatures.coverage(words, "Run the linter before each commit."), 1e-12);
    assertEquals(
        1.0 / 3, RelevanceFeatures.coverage(words, "Staging is rebuilt nightly from main."), 1e-12);
    double[] x =
        RelevanceFeatures.of(
            "deploy billing to staging", candidates(new double[] {0.7, 0.6}, new double[] {0, 0}))[
            1];
    double[] more = x.clone();
    // All the query's words, plain and weighted by rarity (the fitted model splits the credit).
    more[RelevanceFeatures.NAMES.indexOf("coverage")] = 1.0;
    more[RelevanceFeatures.NAMES.indexOf("idf_coverage")] = 1.0;
    assertTrue(
        RelevanceModel.shipped().probability(more) > RelevanceModel.shipped().probability(x));
  }

  @Test
  void identifiersCountByTheirPartsAndWhole() {
    Set<String> w = RelevanceFeatures.contentWords("rename bookingId in user_profile.ts", true);
    assertTrue(w.containsAll(Set.of("book", "bookingid", "user", "profil", "ts")), w.toString());
  }

  @Test
  void theShippedWeightsLoadWithThresholdsInsideTheUnitInterval() {
    RelevanceModel m = RelevanceModel.shipped();
    assertTrue(m.searchFloor() > 0 && m.searchFloor() < 1, "floor " + m.searchFloor());
    assertTrue(m.hookThreshold() > 0 && m.hookThreshold() < 1, "hook " + m.hookThreshold());
  }

  @Test
  void aWrittenModelReadsBackEqual() {
    RelevanceModel m = unitModel(-2, 3, 1.5);
    assertEquals(m, RelevanceModel.parse(m.format(List.of("a header")), "test"));
  }

  @Test
  void aMalformedWeightsFileFailsLoudlyNamingWhatIsWrong() {
    String good = unitModel(-2, 3, 1.5).format(List.of());
    assertMalformed(good.replaceFirst("search_floor [^\n]+\n", ""), "'search_floor' is missing");
    assertMalformed(
        good.replaceFirst("weights -2.0", "weights"), "'weights' has " + N + " numbers");
    assertMalformed(good.replaceFirst("weights -2.0", "weights x"), "holds 'x', not a number");
    assertMalformed(good.replaceFirst("weights -2.0", "weights NaN"), "not a finite number");
    assertMalformed(
        good.replaceFirst("features cosine", "features cos"), "'cos' is not one of this build's");
    assertMalformed(
        good.replaceFirst("features cosine", "features bm25"), "names each feature once");
    assertMalformed(good.replaceFirst("hook_threshold 0.5", "hook_threshold 1.5"), "[0, 1]");
    assertMalformed(good.replaceFirst("scale 1.0", "scale 0.0"), "must be positive");
    assertMalformed(good + "mean 1\n", "repeats 'mean'");
  }

  private static void assertMalformed(String text, String expected) {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> RelevanceModel.parse(text, "w.txt"));
    assertTrue(
        e.getMessage().startsWith("malformed relevance weights w.txt: ")
            && e.getMessage().contains(expected),
        e.getMessage());
  }

  @Test
  void theModelWithoutVectorsIsPutOnTheShippedFloorsScaleKeepingItsOrder() {
    RelevanceModel lexical =
        new RelevanceModel(
            List.of("bm25", "coverage"),
            new double[] {0.5, 0.2},
            new double[] {0.3, 0.1},
            new double[] {-1.0, 1.5, 0.5},
            0.29,
            0.29);
    RelevanceModel hybrid = RelevanceModel.shipped();
    RelevanceModel scaled = lexical.onScaleOf(hybrid);
    assertEquals(hybrid.searchFloor(), scaled.searchFloor());
    assertEquals(hybrid.hookThreshold(), scaled.hookThreshold());
    // a pair the lexical model puts exactly at its own floor now scores the shipped floor
    double[] x = new double[RelevanceModel.featureNames().size()];
    int bm25 = RelevanceModel.featureNames().indexOf("bm25");
    int coverage = RelevanceModel.featureNames().indexOf("coverage");
    double logit029 = Math.log(0.29 / 0.71);
    x[coverage] = 0.2;
    x[bm25] = 0.5 + 0.3 * (logit029 + 1.0) / 1.5; // z = logit(0.29)
    assertEquals(0.29, lexical.probability(x), 1e-12);
    assertEquals(hybrid.searchFloor(), scaled.probability(x), 1e-12);
    // and the order of any two pairs is kept
    double[] y = x.clone();
    y[bm25] -= 0.1;
    assertTrue(lexical.probability(y) < lexical.probability(x));
    assertTrue(scaled.probability(y) < scaled.probability(x));
  }

  @Test
  void aModelWithoutVectorsMayNotReadACosine() {
    RelevanceModel reads =
        new RelevanceModel(
            List.of("bm25", "cosine"),
            new double[] {0, 0},
            new double[] {1, 1},
            new double[] {0, 1, 1},
            0.4,
            0.4);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, reads::requireWithoutVectors);
    assertTrue(e.getMessage().contains("'cosine'"), e.getMessage());
    // the shipped one reads none
    assertTrue(
        RelevanceModel.WITHOUT_VECTORS.containsAll(
            RelevanceModel.shippedWithoutVectors().features()));
  }
}
