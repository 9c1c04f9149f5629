package dev.omem.retrieve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.domain.Memory;
import dev.omem.store.StoredMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The features against the background of generic prompts and the candidates' lexicon. */
class RelevanceFeaturesTest {
  private static float[] unit(double... v) {
    double n = 0;
    for (double x : v) {
      n += x * x;
    }
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / Math.sqrt(n));
    }
    return out;
  }

  private static Candidate candidate(String id, String text, float[] vector, double cosine) {
    Candidate c = new Candidate(id);
    c.row =
        new StoredMemory(Memory.builder().id(id).tenantId("t").content(text).build(), vector, "m");
    c.cosine = cosine;
    c.vectorRank = 0;
    c.score = cosine;
    return c;
  }

  @Test
  void theVectorPlaceIsTheBetterOfThePlainAndTheCentredList() {
    List<Candidate> list = new ArrayList<>();
    list.add(candidate("near-copy", "the billing service depends on S3", unit(1, 0), 0.7));
    list.add(candidate("distinct", "billing gives up after 2 attempts", unit(0, 1), 0.6));
    list.add(candidate("centred only", "billing pages Farah first", unit(1, 1), 0.55));
    list.add(candidate("neither", "billing logs at INFO", unit(1, 2), 0.5));
    list.get(0).centredRank = 40;
    list.get(1).vectorRank = 30;
    list.get(1).centredRank = 0;
    list.get(2).vectorRank = -1;
    list.get(2).centredRank = 4;
    list.get(3).vectorRank = -1;
    double[][] x = RelevanceFeatures.of("how many tries does billing make", list);
    int place = RelevanceFeatures.NAMES.indexOf("log_vector_rank");
    assertEquals(0, x[0][place], 1e-12, "its plain place 0 beats its centred 40");
    assertEquals(0, x[1][place], 1e-12, "its centred place 0 beats its plain 30");
    assertEquals(Math.log(5), x[2][place], 1e-12, "found by the centred list alone");
    assertEquals(Math.log(1 + RankingWeights.CANDIDATES), x[3][place], 1e-12, "in neither");
  }

  @Test
  void theBackgroundLevelIsTheMeanOfTheKNearestAndNearestTheBest() {
    float[][] background = new float[12][];
    for (int i = 0; i < 12; i++) {
      background[i] = unit(i, 11 - i); // similarity to (1, 0) rises with i
    }
    float[] v = unit(1, 0);
    double[] sims = new double[12];
    for (int i = 0; i < 12; i++) {
      sims[i] = i / Math.sqrt(i * i + (11 - i) * (11 - i));
    }
    double tenBest = 0;
    for (int i = 2; i < 12; i++) {
      tenBest += sims[i];
    }
    assertEquals(tenBest / 10, BackgroundPrompts.level(v, background), 1e-6);
    assertEquals(1.0, BackgroundPrompts.nearest(v, background), 1e-6);
    assertEquals(0, BackgroundPrompts.level(null, background));
    assertEquals(0, BackgroundPrompts.level(v, new float[0][]));
    // Three background vectors: all of them are "the k nearest".
    float[][] few = {unit(1, 0), unit(0, 1), unit(1, 1)};
    assertEquals((1 + 0 + Math.sqrt(0.5)) / 3, BackgroundPrompts.level(v, few), 1e-6);
  }

  @Test
  void aQueryCloseToGenericPromptsAndAHubMemoryReadAsSuch() {
    float[][] background = {unit(1, 0, 0), unit(1, 0.2, 0), unit(1, 0, 0.2)};
    List<Candidate> list = new ArrayList<>();
    list.add(candidate("hub", "a note close to every prompt", unit(1, 0.1, 0.1), 0.7));
    list.add(candidate("own", "a note about this project", unit(0, 1, 0), 0.6));
    double[][] generic =
        RelevanceFeatures.of("how do I squash commits", list, unit(1, 0, 0), background);
    double[][] specific =
        RelevanceFeatures.of("how do I squash commits", list, unit(0, 0, 1), background);
    int vsBackground = RelevanceFeatures.NAMES.indexOf("cosine_minus_background");
    int hub = RelevanceFeatures.NAMES.indexOf("memory_hubness");
    int bestVsNearest = RelevanceFeatures.NAMES.indexOf("best_minus_background_nearest");
    assertTrue(
        generic[0][vsBackground] < specific[0][vsBackground],
        "the same cosine means less for a query close to generic prompts");
    assertEquals(0.7 - 1.0, generic[0][bestVsNearest], 1e-6);
    assertTrue(generic[0][hub] > 0.9 && generic[1][hub] < 0.2, "hub " + generic[0][hub]);
    assertEquals(generic[0][hub], specific[0][hub], 1e-12, "hubness is the memory's own");
    // Without the query's vector (no model) the background features read 0, nothing else moves.
    double[][] none = RelevanceFeatures.of("how do I squash commits", list);
    assertEquals(0, none[0][hub]);
    assertEquals(generic[0][0], none[0][0]);
  }

  @Test
  void aMemoryCloseToTheOtherCandidatesIsALocalHub() {
    List<Candidate> list = new ArrayList<>();
    list.add(candidate("hub", "near everything", unit(1, 1, 1), 0.7));
    list.add(candidate("x", "one topic", unit(1, 0, 0), 0.6));
    list.add(candidate("y", "another", unit(0, 1, 0), 0.5));
    list.add(candidate("z", "a third", unit(0, 0, 1), 0.4));
    list.add(candidate("none", "waits for its vector", null, 0.3));
    double hub = RelevanceFeatures.localHubness(list, 0);
    assertEquals(1 / Math.sqrt(3), hub, 1e-6); // the same to each of the three others
    // x: to the hub 1/√3, to y and z 0; the mean over the three others (fewer than k).
    assertEquals(1 / Math.sqrt(3) / 3, RelevanceFeatures.localHubness(list, 1), 1e-6);
    assertEquals(0, RelevanceFeatures.localHubness(list, 4));
    int col = RelevanceFeatures.NAMES.indexOf("memory_hubness_local");
    assertEquals(hub, RelevanceFeatures.of("anything", list)[0][col], 1e-12);
  }

  @Test
  void rareQueryWordsWeighMoreInCoverageThanWordsEveryCandidateHolds() {
    List<Candidate> list = new ArrayList<>();
    list.add(
        candidate(
            "a", "Bookings migrations use Flyway; never edit a merged migration.", null, 0.6));
    list.add(candidate("b", "The bookings service owns bookings.", null, 0.5));
    list.add(candidate("c", "Bookings are exported nightly.", null, 0.4));
    Set<String> words = RelevanceFeatures.contentWords("edit the bookings migration", true);
    RelevanceFeatures.Lexicon lex = RelevanceFeatures.Lexicon.of(words, list);
    // Query words: edit, book, migrat. df: edit 1, book 3, migrat 1 over n = 3.
    double rare = Math.log(4 / 1.5);
    double common = Math.log(4 / 3.5);
    assertEquals(1.0, lex.idfCoverage(0), 1e-9);
    assertEquals(common / (2 * rare + common), lex.idfCoverage(1), 1e-9);
    assertEquals(1.0, lex.inStore(), 1e-12);
    // A query whose words no candidate holds: nothing covered, nothing in the store.
    RelevanceFeatures.Lexicon none =
        RelevanceFeatures.Lexicon.of(
            RelevanceFeatures.contentWords("kubernetes ingress", true), list);
    assertArrayEquals(new double[3], none.idfCoverage(), 0);
    assertEquals(0, none.inStore());
  }

  @Test
  void aModelOverSomeFeaturesReadsThoseColumnsOnly() {
    int bm25 = RelevanceFeatures.NAMES.indexOf("bm25");
    RelevanceModel m =
        new RelevanceModel(
            List.of("bm25"), new double[] {0}, new double[] {1}, new double[] {0, 2}, 0.3, 0.5);
    double[] x = new double[RelevanceFeatures.SIZE];
    java.util.Arrays.fill(x, 5); // every other column: ignored
    x[bm25] = 0.5;
    assertEquals(1 / (1 + Math.exp(-1.0)), m.probability(x), 1e-12);
    assertEquals(m, RelevanceModel.parse(m.format(List.of()), "subset"));
  }

  @Test
  void rowsAfterTheReferenceNeverChangeHowTheReferenceRowsRead() {
    List<Candidate> window = new ArrayList<>();
    window.add(candidate("a", "Payments retries use exponential backoff.", unit(1, 0.1, 0), 0.8));
    window.add(candidate("b", "The payments service owns refunds.", unit(1, 0, 0.1), 0.7));
    window.add(candidate("c", "Nightly exports run at two.", unit(0.2, 1, 0), 0.5));
    List<Candidate> withExtras = new ArrayList<>(window);
    // The centred list's extras below the fused window: a higher cosine, near every row, holding
    // the query's words, so that each statistic over the rows would move if they counted in it.
    withExtras.add(candidate("x", "payments backoff retries", unit(1, 0.05, 0.05), 0.95));
    withExtras.add(candidate("y", "payments retries backoff again", unit(1, 0.06, 0.04), 0.9));
    String query = "how do payments retries back off";
    float[] q = unit(1, 0, 0);
    double[][] alone = RelevanceFeatures.of(query, window, q, new float[0][]);
    double[][] read = RelevanceFeatures.of(query, withExtras, window.size(), q, new float[0][]);
    for (int i = 0; i < window.size(); i++) {
      assertArrayEquals(alone[i], read[i], 1e-12, "row " + i);
    }
    // Read against the whole list, the extras move the window's rows (what the reference stops).
    double[][] whole = RelevanceFeatures.of(query, withExtras, q, new float[0][]);
    int best = RelevanceFeatures.NAMES.indexOf("cosine_minus_best");
    assertTrue(whole[0][best] < alone[0][best]);
    // An extra is read on the window's scale: its cosine above the window's best reads above 0.
    assertEquals(0.95 - 0.8, read[3][best], 1e-9);
  }
}
