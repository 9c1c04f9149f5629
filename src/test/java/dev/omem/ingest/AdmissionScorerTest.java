package dev.omem.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.domain.Category;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each part moves the score the way its javadoc says, and the threshold is read as configured. */
class AdmissionScorerTest {
  @TempDir Path home;

  private final AdmissionScorer scorer = new AdmissionScorer();

  private static FactExtractor.Fact fact(String text, Category c, double confidence) {
    return new FactExtractor.Fact(text, c, List.of(), 0.7, confidence);
  }

  private Admission score(FactExtractor.Fact f) {
    return scorer.score(f, AdmissionScorer.NOTHING_STORED, 3, 4);
  }

  @Test
  void aSpecificPreferenceIsAdmittedAndAVagueRemarkIsNot() {
    Admission pnpm =
        score(fact("I prefer pnpm 9 over yarn for the web workspace.", Category.PREFERENCES, 0.9));
    assertTrue(pnpm.admitted(), pnpm.reason());
    assertEquals(1.0, pnpm.utility(), 1e-9);
    Admission vague = score(fact("That went better than expected.", Category.EVENTS, 0.4));
    assertFalse(vague.admitted(), vague.reason());
    assertTrue(vague.reason().startsWith("rejected"), vague.reason());
  }

  @Test
  void namedThingsRaiseUtility() {
    double plain = AdmissionScorer.utility("we keep the services small and simple");
    double named = AdmissionScorer.utility("we keep the services on Kubernetes 1.29 in eu-west-1");
    assertTrue(named > plain, plain + " vs " + named);
    assertEquals(0.0, AdmissionScorer.utility("ok so yeah"), 1e-9);
  }

  @Test
  void aStoredTwinLowersTheScoreAndUnrelatedMemoriesDoNot() {
    FactExtractor.Fact f = fact("Integration tests use Testcontainers.", Category.PATTERNS, 0.8);
    Admission fresh = scorer.score(f, AdmissionScorer.NOTHING_STORED, 0, 1);
    Admission unrelated = scorer.score(f, 0.45, 0, 1);
    Admission twin = scorer.score(f, 0.98, 0, 1);
    assertEquals(1.0, fresh.novelty(), 1e-9);
    assertEquals(1.0, unrelated.novelty(), 1e-9, "below the unrelated cosine counts as new");
    assertEquals(0.04, twin.novelty(), 1e-9);
    assertEquals(AdmissionScorer.W_NOVELTY * 0.96, fresh.score() - twin.score(), 1e-9);
  }

  @Test
  void aLaterStatementScoresHigherThanTheSameEarlier() {
    FactExtractor.Fact f = fact("The config lives in config/app.toml.", Category.ENTITIES, 0.7);
    Admission first = scorer.score(f, AdmissionScorer.NOTHING_STORED, 0, 5);
    Admission last = scorer.score(f, AdmissionScorer.NOTHING_STORED, 4, 5);
    assertEquals(0.0, first.recency(), 1e-9);
    assertEquals(1.0, last.recency(), 1e-9);
    assertEquals(AdmissionScorer.W_RECENCY, last.score() - first.score(), 1e-9);
    assertEquals(1.0, scorer.score(f, AdmissionScorer.NOTHING_STORED, 0, 1).recency(), 1e-9);
  }

  @Test
  void durableCategoriesWeighMoreThanEvents() {
    String text = "The mobile team ships a release every second Tuesday.";
    double preference = score(fact(text, Category.PREFERENCES, 0.8)).score();
    double pattern = score(fact(text, Category.PATTERNS, 0.8)).score();
    double entity = score(fact(text, Category.ENTITIES, 0.8)).score();
    double event = score(fact(text, Category.EVENTS, 0.8)).score();
    assertTrue(preference > pattern && pattern > entity && entity > event);
  }

  @Test
  void theExtractorsConfidenceCounts() {
    String text = "Releases are tagged vX.Y.Z on the main branch.";
    Admission sure = score(fact(text, Category.PATTERNS, 0.9));
    Admission unsure = score(fact(text, Category.PATTERNS, 0.3));
    assertEquals(AdmissionScorer.W_CONFIDENCE * 0.6, sure.score() - unsure.score(), 1e-9);
  }

  @Test
  void theThresholdIsTheLine() {
    FactExtractor.Fact f = fact("We pin Node 20 in .nvmrc.", Category.PATTERNS, 0.8);
    double s = score(f).score();
    assertTrue(new AdmissionScorer(s).score(f, -1, 3, 4).admitted());
    assertFalse(new AdmissionScorer(s + 0.001).score(f, -1, 3, 4).admitted());
    assertThrows(IllegalArgumentException.class, () -> new AdmissionScorer(1.2));
    assertThrows(IllegalArgumentException.class, () -> scorer.score(f, -1, 4, 4));
    assertThrows(IllegalArgumentException.class, () -> scorer.score(f, 1.5, 0, 4));
  }

  @Test
  void theThresholdComesFromTheVariableThenTheConfigFileThenTheDefault() throws IOException {
    assertEquals(AdmissionScorer.DEFAULT_THRESHOLD, AdmissionScorer.threshold(home, Map.of()));
    Files.writeString(home.resolve("config.json"), "{\"admission_threshold\": 0.4}");
    assertEquals(0.4, AdmissionScorer.threshold(home, Map.of()), 1e-9);
    assertEquals(
        0.7, AdmissionScorer.threshold(home, Map.of("OMEM_ADMISSION_THRESHOLD", " 0.7 ")), 1e-9);
  }

  @Test
  void anInvalidThresholdNamesTheSetting() throws IOException {
    for (String bad : List.of("high", "1.5", "-0.1", "NaN")) {
      OmemException e =
          assertThrows(
              OmemException.class,
              () -> AdmissionScorer.threshold(home, Map.of("OMEM_ADMISSION_THRESHOLD", bad)));
      assertEquals(ErrorCode.VALIDATION, e.code());
      assertTrue(e.getMessage().contains("OMEM_ADMISSION_THRESHOLD"), e.getMessage());
      assertTrue(e.getMessage().contains(bad), e.getMessage());
    }
    Files.writeString(home.resolve("config.json"), "{\"admission_threshold\": \"lots\"}");
    OmemException e =
        assertThrows(OmemException.class, () -> AdmissionScorer.threshold(home, Map.of()));
    assertTrue(e.getMessage().contains("admission_threshold"), e.getMessage());
  }
}
