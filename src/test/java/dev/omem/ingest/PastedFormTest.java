package dev.omem.ingest;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.embed.Embedder;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.embed.ModelCatalog;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pasted output is told from the user's own words by its form (fixed cases written for this test,
 * not dev data), and the learned extractor, with the real ONNX model and the shipped weights, keeps
 * the stated facts of a turn and drops the console lines pasted into it.
 */
class PastedFormTest {
  private static EmbeddingProvider provider;
  private static Embedder embedder;

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

  static final String ERROR =
      "TypeError: Cannot read properties of undefined (reading 'map') at OrderList.tsx:42:17";
  static final String PATH = "ENOENT: no such file or directory, open '/srv/app/config/db.yml'";

  @Test
  void consoleLinesArePastedAndStatedFactsAreNot() {
    assertTrue(PastedForm.pasted(ERROR), "share " + PastedForm.letterShare(ERROR));
    assertTrue(PastedForm.pasted(PATH), "share " + PastedForm.letterShare(PATH));
    assertFalse(PastedForm.pasted("We always deploy to the staging cluster before production."));
    assertFalse(
        PastedForm.pasted("Use soft deletes only, never remove rows from the orders table."));
    assertEquals(1.0, PastedForm.letterShare(""));
  }

  @Test
  void theExtractorDropsTheErrorPastedIntoATurn() {
    List<FactExtractor.Fact> facts =
        new LearnedExtractor(provider, ExtractionModel.shipped(), new LocalRulesExtractor())
            .extract(
                List.of(
                    new FactExtractor.Turn("assistant", "I updated the order list component."),
                    new FactExtractor.Turn(
                        "user",
                        "The order list crashes now, fix it. The console says:\n"
                            + ERROR
                            + "\nOrders must never be deleted, use soft deletes only.")),
                embedder);
    List<String> texts = facts.stream().map(FactExtractor.Fact::text).toList();
    assertTrue(texts.stream().noneMatch(t -> t.contains("OrderList.tsx")), texts.toString());
    assertTrue(texts.stream().anyMatch(t -> t.contains("soft deletes")), texts.toString());
  }
}
