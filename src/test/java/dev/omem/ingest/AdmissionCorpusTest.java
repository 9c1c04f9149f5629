package dev.omem.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.embed.Embedder;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.embed.ModelCatalog;
import dev.omem.ingest.ExtractionCorpusTest.Score;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The noise filter and admission over the extraction corpora: what they remove behind the local
 * rules, and behind an extractor that keeps every user sentence ({@link EverySentenceExtractor}).
 * Definitions of precision and recall: {@code scripts/bench-extraction}. {@link #main} (run by that
 * script through {@link ExtractionCorpusTest#main}) prints before/after figures for both corpora
 * and the threshold sweep the defaults were chosen from; the tests hold the tuning corpus to them.
 */
class AdmissionCorpusTest {
  private static EmbeddingProvider provider;
  private static Embedder embedder;

  @BeforeAll
  static void load() {
    provider = new EmbeddingProvider(ModelCatalog.DEFAULT);
    embedder = model(provider);
  }

  @AfterAll
  static void close() {
    provider.close();
  }

  /**
   * The default model, loaded the way the service loads it: on the provider's own thread (ONNX
   * Runtime's session set-up overflows the launcher's main-thread stack: SIGSEGV in a plain main).
   */
  static Embedder model(EmbeddingProvider p) {
    return p.awaitReady(Duration.ofMinutes(2))
        .orElseThrow(() -> new IllegalStateException("model: " + p.status()));
  }

  static FactExtractor admitted(FactExtractor extractor, double threshold, Embedder e) {
    return new AdmittingExtractor(extractor, new NoiseFilter(), new AdmissionScorer(threshold), e);
  }

  @Test
  void behindTheLocalRulesEveryExpectedFactIsStillAdmitted() throws IOException {
    Score before = ExtractionCorpusTest.score(new LocalRulesExtractor());
    Score after =
        ExtractionCorpusTest.score(
            admitted(new LocalRulesExtractor(), AdmissionScorer.DEFAULT_THRESHOLD, embedder));
    assertEquals(before.matched(), after.matched(), after.summary() + "\n" + after.details());
    assertTrue(after.precision() >= before.precision(), after.summary());
  }

  @Test
  void behindAnExtractorOfEverySentenceTheNoiseIsDroppedAndTheFactsStay() throws IOException {
    Score before = ExtractionCorpusTest.score(new EverySentenceExtractor());
    Score after =
        ExtractionCorpusTest.score(
            admitted(new EverySentenceExtractor(), AdmissionScorer.DEFAULT_THRESHOLD, embedder));
    // Every expected fact is some user sentence, so the indiscriminate extractor finds them all.
    assertEquals(before.expected(), before.matched(), before.details().toString());
    assertTrue(before.precision() < 0.5, "most user sentences are not facts: " + before.summary());
    List<String> noiseKept = after.details().stream().filter(d -> d.contains(": NOISE ")).toList();
    assertTrue(noiseKept.isEmpty(), "noise phrases admitted: " + noiseKept);
    // Measured: all 33 kept, 32 of 34 correct (0.941; the two extras are a statement corrected
    // later in its conversation and "We migrated last month.").
    assertEquals(after.expected(), after.matched(), after.summary() + "\n" + after.details());
    assertTrue(after.precision() >= 0.90, after.summary() + "\n" + after.details());
  }

  /**
   * The floors still hold on the held-out corpus behind the gate (measured: precision
   * 1.000, recall 0.761: the "please" rule drops one preference, "I hate default exports, please
   * use named exports everywhere"; left as measured, not tuned on the held-out corpus).
   */
  @Test
  void onTheHeldOutCorpusTheFloorsHoldBehindTheGate() throws IOException {
    Score after =
        ExtractionCorpusTest.score(
            admitted(new LocalRulesExtractor(), AdmissionScorer.DEFAULT_THRESHOLD, embedder),
            ExtractionCorpusTest.HELD_OUT);
    assertTrue(after.precision() >= ExtractionCorpusTest.MIN_PRECISION, after.summary());
    assertTrue(after.recall() >= ExtractionCorpusTest.MIN_RECALL, after.summary());
  }

  /** Before/after lines for one corpus. */
  static void printLanes(String label, String resource, Embedder e) throws IOException {
    double t = AdmissionScorer.DEFAULT_THRESHOLD;
    System.out.println(label + ":");
    Score rules =
        print("  local rules                         ", new LocalRulesExtractor(), resource);
    rules.details().forEach(d -> System.out.println("      " + d));
    AdmittingExtractor gated =
        new AdmittingExtractor(
            new LocalRulesExtractor(), new NoiseFilter(), new AdmissionScorer(t), e);
    print("  local rules + noise + admission     ", gated, resource);
    gated.trace().forEach(d -> System.out.println("      dropped: " + d));
    print("  every user sentence                 ", new EverySentenceExtractor(), resource);
    AdmittingExtractor every =
        new AdmittingExtractor(
            new EverySentenceExtractor(), new NoiseFilter(), new AdmissionScorer(t), e);
    Score s = print("  every user sentence + noise + admis.", every, resource);
    s.details().forEach(d -> System.out.println("      " + d));
  }

  private static Score print(String label, FactExtractor x, String resource) throws IOException {
    Score s = ExtractionCorpusTest.score(x, resource);
    System.out.println(label + " " + s.summary());
    return s;
  }

  /** Precision and recall of both lanes on the tuning corpus across thresholds. */
  static void sweep(Embedder e) throws IOException {
    System.out.println("threshold sweep on the tuning corpus (noise filter at its default):");
    System.out.println("| threshold | local rules P | R | every sentence P | R |");
    System.out.println("|---:|---:|---:|---:|---:|");
    for (int step = 8; step <= 15; step++) {
      double t = step * 0.05;
      Score a = ExtractionCorpusTest.score(admitted(new LocalRulesExtractor(), t, e));
      Score b = ExtractionCorpusTest.score(admitted(new EverySentenceExtractor(), t, e));
      System.out.printf(
          Locale.ROOT,
          "| %.2f | %.3f | %.3f | %.3f | %.3f |%n",
          t,
          a.precision(),
          a.recall(),
          b.precision(),
          b.recall());
    }
  }

  /**
   * How many sentences of the tuning corpus the exemplars alone would drop at each similarity:
   * sentences of expected facts against the rest (every user sentence as a candidate, rules off).
   */
  static void similaritySweep() throws IOException {
    List<String> facts = new ArrayList<>();
    List<String> others = new ArrayList<>();
    JsonNode corpus;
    try (InputStream in =
        AdmissionCorpusTest.class.getResourceAsStream(ExtractionCorpusTest.TUNING)) {
      corpus = new ObjectMapper().readTree(in);
    }
    for (JsonNode c : corpus.path("conversations")) {
      List<FactExtractor.Turn> turns = new ArrayList<>();
      c.path("messages")
          .forEach(
              m ->
                  turns.add(
                      new FactExtractor.Turn(m.path("role").asText(), m.path("content").asText())));
      for (FactExtractor.Fact f : new EverySentenceExtractor().extract(turns)) {
        String t = f.text().toLowerCase(Locale.ROOT);
        boolean fact = false;
        for (JsonNode e : c.path("expected")) {
          boolean all = true;
          for (JsonNode phrase : e) {
            all &= t.contains(phrase.asText().toLowerCase(Locale.ROOT));
          }
          fact |= all;
        }
        (fact ? facts : others).add(f.text());
      }
    }
    NoiseFilter f = new NoiseFilter();
    System.out.println("noise exemplars alone on the tuning corpus's user sentences:");
    System.out.println("| similarity | fact sentences dropped | other sentences dropped |");
    System.out.println("|---:|---:|---:|");
    for (int step = 8; step <= 14; step++) {
      double th = step * 0.05;
      long a = facts.stream().filter(x -> f.closestSimilarity(x) >= th).count();
      long b = others.stream().filter(x -> f.closestSimilarity(x) >= th).count();
      System.out.printf(
          Locale.ROOT, "| %.2f | %d of %d | %d of %d |%n", th, a, facts.size(), b, others.size());
    }
  }

  public static void main(String[] args) throws IOException {
    try (EmbeddingProvider p = new EmbeddingProvider(ModelCatalog.DEFAULT)) {
      Embedder e = model(p);
      printLanes("tuning corpus (corpus.json)", ExtractionCorpusTest.TUNING, e);
      if (List.of(args).contains("--sweep")) {
        similaritySweep();
        sweep(e); // tuning only: the held-out corpus is not printed while choosing numbers
      } else {
        printLanes("held-out corpus (heldout.json)", ExtractionCorpusTest.HELD_OUT, e);
      }
    }
  }
}
