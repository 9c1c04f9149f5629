package dev.omem.ingest;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.embed.Embedder;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.embed.ModelCatalog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped extraction classifier: it loads, fits the shipped embedding model, reads back what it
 * writes, refuses a broken file, and decides fixed cases written for this test (not dev data) with
 * the real ONNX model.
 */
class ExtractionModelTest {
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

  @Test
  void theShippedWeightsLoadAndFitTheShippedModel() {
    ExtractionModel m = ExtractionModel.shipped();
    assertEquals(ModelCatalog.DEFAULT.dimensions(), m.dimension());
    assertTrue(m.threshold() > 0 && m.threshold() < 1, "threshold " + m.threshold());
  }

  @Test
  void aFileWithoutARequiredLineIsRefusedByName() {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                ExtractionModel.read(
                    new ByteArrayInputStream(
                        "# no weights\nthreshold 0.5\n".getBytes(StandardCharsets.UTF_8))));
    assertTrue(e.getMessage().contains("no 'w' line"), e.getMessage());
  }

  @Test
  void whatIsWrittenReadsBackWithTheSameDecisions() throws IOException {
    double[] w = {0.5, -1.25, 2.0, 0.1, -0.2, 0.3, 0.05, 0.4, -0.7, 0.2, 1.1, -0.4, 0.6, -0.3, 0.9};
    ExtractionModel m =
        new ExtractionModel(
            0.4,
            2,
            ExtractionModel.NO_MERGE,
            -0.3,
            new double[] {1, 0.5, 0.5, 0.5, 0.5, 0.5, 1, 0.6, 0.7, 0.5, 0.2, 0.3},
            new double[] {0.5, 0.5, 0.5, 0.3, 0.5, 0.4, 0.5, 0.1, 0.1, 0.2, 0.3, 0.5},
            w,
            Map.of("decision", new double[] {1, 0, 0}, "preference", new double[] {0, 1, 0}),
            new double[] {0, 0, 1},
            new double[] {1, 0, 0},
            0.05);
    ExtractionModel back =
        ExtractionModel.read(
            new ByteArrayInputStream(m.write("a test\nmodel").getBytes(StandardCharsets.UTF_8)));
    float[] v = {0.2f, 0.9f, 0.1f};
    double[] rules = {2, 1, 0, 0.5, 1, 0, 1.1, 0.8, 0.65, 0.9, 0.5, 1};
    assertEquals(m.probability(v, rules), back.probability(v, rules), 1e-5);
    assertEquals(2, back.perTurn());
    assertEquals("preference", back.kind(v));
    assertEquals(m.global(new float[] {0, 0.1f, 1}), back.global(new float[] {0, 0.1f, 1}));
    assertTrue(back.global(new float[] {0, 0.1f, 1}));
    assertFalse(back.global(v));
    assertThrows(IllegalArgumentException.class, () -> back.probability(new float[2], rules));
  }

  /**
   * The weights shipped before session 17 read nine rule features; such a file still loads, and
   * reads the later features (repeat, echoed, one-off form) with weight 0.
   */
  @Test
  void aFileWithTheNineEarlierFeaturesReadsTheLaterOnesWithWeightZero() throws IOException {
    String nine =
        "threshold 0.4\nbias -0.3\nmean 1 0.5 0.5 0.5 0.5 0.5 1 0.6 0.7\n"
            + "std 0.5 0.5 0.5 0.3 0.5 0.4 0.5 0.1 0.1\n"
            + "w 0.5 -1.25 2.0 0.1 -0.2 0.3 0.05 0.4 -0.7 0.2 1.1 -0.4\n";
    ExtractionModel m =
        ExtractionModel.read(new ByteArrayInputStream(nine.getBytes(StandardCharsets.UTF_8)));
    assertEquals(3, m.dimension());
    float[] v = {0.2f, 0.9f, 0.1f};
    double[] a = {2, 1, 0, 0.5, 1, 0, 1.1, 0.8, 0.65, 0, 0, 0};
    double[] b = {2, 1, 0, 0.5, 1, 0, 1.1, 0.8, 0.65, 0.95, 1, 1};
    assertEquals(m.probability(v, a), m.probability(v, b), 1e-12);
    // By hand: the bias, the embedding, then the nine standardised features with their weights.
    double z =
        -0.3
            + (0.5 * 0.2 + -1.25 * 0.9 + 2.0 * 0.1)
            + (0.1 * 2
                + -0.2 * 1
                + 0.3 * -1
                + 0.05 * 0
                + 0.4 * 1
                + -0.7 * -1.25
                + 0.2 * 0.2
                + 1.1 * 2
                + -0.4 * -0.5);
    assertEquals(1 / (1 + Math.exp(-z)), m.probability(v, a), 1e-6); // float embedding
  }

  @Test
  void theMergeCosineIsWrittenAndReadBackAndAnOlderFileHasNone() throws IOException {
    double[] w = new double[3 + FactFeatures.COUNT];
    double[] ones = new double[FactFeatures.COUNT];
    java.util.Arrays.fill(ones, 1);
    ExtractionModel m =
        new ExtractionModel(
            0.3, 1, 0.88, 0.1, new double[FactFeatures.COUNT], ones, w, Map.of(), null, null, 0);
    ExtractionModel back =
        ExtractionModel.read(
            new ByteArrayInputStream(m.write("merge").getBytes(StandardCharsets.UTF_8)));
    assertEquals(0.88, back.merge(), 1e-9);
    String older = m.write("older").replaceAll("(?m)^merge .*\n", "");
    assertFalse(older.contains("merge 0.88"), older);
    assertEquals(
        ExtractionModel.NO_MERGE,
        ExtractionModel.read(new ByteArrayInputStream(older.getBytes(StandardCharsets.UTF_8)))
            .merge());
  }

  @Test
  void theIssuesTurnGivesItsTwoRulesWithoutTheFiller() {
    // Issue 14's own example, a fixed case: the greeting and lead-in go, and both rules of the
    // one turn are kept as separate facts with the shipped weights and the real model.
    LearnedExtractor x =
        new LearnedExtractor(provider, ExtractionModel.shipped(), new LocalRulesExtractor());
    List<String> texts =
        x
            .extract(
                List.of(
                    new FactExtractor.Turn(
                        "user",
                        "Hi! Quick thing before we start: I always use pnpm, never npm, for"
                            + " JavaScript projects. And please keep commit messages under 72"
                            + " characters.")),
                embedder)
            .stream()
            .map(FactExtractor.Fact::text)
            .toList();
    assertEquals(
        List.of(
            "I always use pnpm, never npm, for JavaScript projects.",
            "Please keep commit messages under 72 characters."),
        texts);
  }

  @Test
  void durableStatementsAreKeptAndChatterIsNot() {
    LearnedExtractor x =
        new LearnedExtractor(provider, ExtractionModel.shipped(), new LocalRulesExtractor());
    List<FactExtractor.Fact> facts =
        x.extract(
            List.of(
                new FactExtractor.Turn(
                    "user",
                    "Hi! We are building a booking app for a small dental clinic. Patients book"
                        + " online and pay at the desk, no payment provider. Thanks, that works"
                        + " now! Can you show me the error again?"),
                new FactExtractor.Turn("assistant", "The clinic app stores bookings in Postgres."),
                new FactExtractor.Turn(
                    "user",
                    "Never reformat files I did not ask you to touch. Use soft deletes for"
                        + " appointments, no hard deletes.")),
            embedder);
    List<String> texts = facts.stream().map(FactExtractor.Fact::text).toList();
    // Kept when last run: the two standing rules and the payment set-up; the project description
    // ("We are building a booking app ...") was not: a known miss, not asserted either way.
    assertTrue(texts.stream().anyMatch(t -> t.contains("Never reformat")), texts.toString());
    assertTrue(texts.stream().anyMatch(t -> t.contains("soft deletes")), texts.toString());
    assertTrue(texts.stream().noneMatch(t -> t.contains("Thanks")), texts.toString());
    assertTrue(texts.stream().noneMatch(t -> t.contains("error again")), texts.toString());
    assertTrue(
        texts.stream().noneMatch(t -> t.contains("Postgres")), "assistant turns are no source");
    for (FactExtractor.Fact f : facts) {
      assertTrue(f.confidence() >= ExtractionModel.shipped().threshold(), f.toString());
      assertNotNull(f.kind());
      assertTrue(List.of("global", "project").contains(f.scope()), f.toString());
      assertEquals(List.of(f.kind()), f.tags());
    }
  }

  /**
   * Session 16: a console error pasted into a turn is dropped (PastedForm); the stated rule stays.
   */
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
                            + PastedFormTest.ERROR
                            + "\nOrders must never be deleted, use soft deletes only.")),
                embedder);
    List<String> texts = facts.stream().map(FactExtractor.Fact::text).toList();
    assertTrue(texts.stream().noneMatch(t -> t.contains("OrderList.tsx")), texts.toString());
    assertTrue(texts.stream().anyMatch(t -> t.contains("soft deletes")), texts.toString());
  }
}
