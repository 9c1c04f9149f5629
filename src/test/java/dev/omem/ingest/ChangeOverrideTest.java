package dev.omem.ingest;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.embed.Embedder;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.embed.ModelCatalog;
import dev.omem.ingest.FactExtractor.Fact;
import dev.omem.ingest.FactExtractor.Turn;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A change of mind said as an instruction is kept although the shipped classifier scores it below
 * its threshold (fixed cases written for this test, not dev data; the real ONNX model and the
 * shipped weights): naming the replaced value keeps it outright, a change cue alone keeps it only
 * as a fact stored when it replaces a current memory.
 */
class ChangeOverrideTest {
  private static EmbeddingProvider provider;
  private static Embedder embedder;
  private static final ExtractionModel MODEL = ExtractionModel.shipped();

  @BeforeAll
  static void load() {
    provider = new EmbeddingProvider(ModelCatalog.DEFAULT);
    provider.startLoading();
    embedder = provider.awaitReady(Duration.ofMinutes(2)).orElseThrow();
  }

  @AfterAll
  static void close() {
    provider.close();
  }

  private static List<Fact> extract(String userTurn) {
    return new LearnedExtractor(provider, MODEL, new LocalRulesExtractor())
        .extract(
            List.of(new Turn("user", userTurn), new Turn("assistant", "Done, the build passes.")),
            embedder);
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
    assertFalse(f.ifReplacing(), "stored on its own: it names what it replaces");
  }

  @Test
  void aPieceThatOnlyAnnouncesAChangeIsKeptIfItReplaces() {
    Fact f = holding(extract(CLIENT), "ky client");
    assertTrue(f.confidence() < MODEL.threshold(), "below the threshold: " + f.confidence());
    assertTrue(f.ifReplacing(), "stored only over a memory of its topic");
  }

  @Test
  void whatIsNotAChangeStaysOut() {
    assertEquals(LearnedExtractor.Change.NONE, LearnedExtractor.Change.of("Add a logout button."));
    assertEquals(
        LearnedExtractor.Change.NONE,
        LearnedExtractor.Change.of("Should we use vitest instead of jest here?"));
    assertEquals(
        LearnedExtractor.Change.KEPT,
        LearnedExtractor.Change.of("Use vitest instead of jest for the unit tests."));
    assertEquals(
        LearnedExtractor.Change.IF_REPLACING,
        LearnedExtractor.Change.of("Actually make the header sticky."));
  }

  private static final String PROMPTS =
      "Fix the failing import in the init command. Use enquirer instead of inquirer for the"
          + " prompts.";
  private static final String CLIENT = "Fix the import. Now use the ky client for the HTTP calls.";
}
