package dev.omem.ingest;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.ingest.FactExtractor.Fact;
import dev.omem.ingest.FactExtractor.Turn;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A change of mind said as an instruction is kept although the shipped classifier scores it below
 * its threshold when it names the value it replaces (fixed cases written for this test, not dev
 * data; the real ONNX model and the shipped weights); a change cue alone does not keep it.
 */
class ChangeOverrideTest {
  private static final ExtractionModel MODEL = ExtractionModel.shipped();

  @BeforeAll
  static void load() {
    ReconcilerCalibrationTest.load();
  }

  @AfterAll
  static void close() {
    ReconcilerCalibrationTest.close();
  }

  private static List<Fact> extract(String userTurn) {
    return new LearnedExtractor(
            ReconcilerCalibrationTest.provider, MODEL, new LocalRulesExtractor())
        .extract(
            List.of(new Turn("user", userTurn), new Turn("assistant", "Done, the build passes.")),
            ReconcilerCalibrationTest.embedder);
  }

  private static Fact holding(List<Fact> facts, String words) {
    return facts.stream()
        .filter(f -> f.text().contains(words))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no fact holding '" + words + "' in " + facts));
  }

  @Test
  void aPieceNamingTheValueItReplacesIsKeptWhateverItsScore() {
    Fact f = holding(extract(PROMPTS), "instead of inquirer");
    assertTrue(f.confidence() < MODEL.threshold(), "below the threshold: " + f.confidence());
  }

  @Test
  void aSettingGivenANewLiteralValueIsKept() {
    holding(extract(COLOUR), "to #ffeedd");
  }

  @Test
  void aPieceThatOnlyAnnouncesAChangeIsNotKeptBelowTheThreshold() {
    List<Fact> facts = extract(CLIENT);
    assertTrue(facts.stream().noneMatch(f -> f.text().contains("ky client")), facts.toString());
  }

  @Test
  void aQuestionOrARequestNamesNoReplacedValue() {
    assertFalse(LearnedExtractor.namesReplaced("Add a logout button."));
    assertFalse(LearnedExtractor.namesReplaced("Should we use vitest instead of jest here?"));
    assertTrue(LearnedExtractor.namesReplaced("Use vitest instead of jest for the unit tests."));
  }

  private static final String PROMPTS =
      "Fix the failing import in the init command. Use enquirer instead of inquirer for the"
          + " prompts.";
  private static final String COLOUR =
      "Fix the failing import in the init command. Change the header background colour to"
          + " #ffeedd.";
  private static final String CLIENT = "Fix the import. Now use the ky client for the HTTP calls.";
}
