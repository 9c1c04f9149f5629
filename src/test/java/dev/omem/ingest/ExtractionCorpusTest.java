package dev.omem.ingest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Precision and recall of {@link LocalRulesExtractor} over the conversations of {@code
 * src/test/resources/extraction/corpus.json} (definitions in {@code scripts/bench-extraction}).
 * {@link #main} prints the figures and every miss, then those of the LLM lane ({@link
 * LlmExtractionLaneTest}); the script runs it.
 */
class ExtractionCorpusTest {
  static final double MIN_PRECISION = 0.85;
  static final double MIN_RECALL = 0.60;

  /** The figures of one run over the corpus, and the lines that explain them. */
  record Score(int extracted, int correct, int expected, int matched, List<String> details) {
    double precision() {
      return extracted == 0 ? 1.0 : (double) correct / extracted;
    }

    double recall() {
      return expected == 0 ? 1.0 : (double) matched / expected;
    }

    String summary() {
      return String.format(
          Locale.ROOT,
          "precision %.3f (%d of %d extracted facts correct), recall %.3f (%d of %d expected"
              + " facts found)",
          precision(),
          correct,
          extracted,
          recall(),
          matched,
          expected);
    }
  }

  static Score score(FactExtractor extractor) throws IOException {
    return score(extractor, TUNING);
  }

  /** The tuning corpus: the rules (and the admission threshold) were built on it. */
  static final String TUNING = "/extraction/corpus.json";

  /** The held-out corpus: written before the noise filter and admission, never tuned on. */
  static final String HELD_OUT = "/extraction/heldout.json";

  static Score score(FactExtractor extractor, String resource) throws IOException {
    JsonNode corpus;
    try (InputStream in = ExtractionCorpusTest.class.getResourceAsStream(resource)) {
      corpus = new ObjectMapper().readTree(in);
    }
    int extracted = 0;
    int correct = 0;
    int expected = 0;
    int matched = 0;
    List<String> details = new ArrayList<>();
    for (JsonNode c : corpus.path("conversations")) {
      String id = c.path("id").asText();
      List<FactExtractor.Turn> turns = new ArrayList<>();
      for (JsonNode m : c.path("messages")) {
        turns.add(new FactExtractor.Turn(m.path("role").asText(), m.path("content").asText()));
      }
      List<List<String>> wanted = new ArrayList<>();
      for (JsonNode e : c.path("expected")) {
        List<String> phrases = new ArrayList<>();
        e.forEach(p -> phrases.add(p.asText()));
        wanted.add(phrases);
      }
      List<String> noise = new ArrayList<>();
      c.path("noise").forEach(p -> noise.add(p.asText()));
      List<FactExtractor.Fact> facts = extractor.extract(turns);
      extracted += facts.size();
      expected += wanted.size();
      for (FactExtractor.Fact f : facts) {
        boolean ok = wanted.stream().anyMatch(w -> containsAll(f.text(), w));
        if (ok) {
          correct++;
        } else {
          String why =
              noise.stream().anyMatch(n -> containsAll(f.text(), List.of(n))) ? "NOISE" : "EXTRA";
          details.add(id + ": " + why + " " + f.category().wire() + " \"" + f.text() + "\"");
        }
      }
      for (List<String> w : wanted) {
        if (facts.stream().anyMatch(f -> containsAll(f.text(), w))) {
          matched++;
        } else {
          details.add(id + ": MISSED " + w);
        }
      }
    }
    return new Score(extracted, correct, expected, matched, details);
  }

  private static boolean containsAll(String text, List<String> phrases) {
    String t = text.toLowerCase(Locale.ROOT);
    return phrases.stream().allMatch(p -> t.contains(p.toLowerCase(Locale.ROOT)));
  }

  @Test
  void localRulesMeetTheTargets() throws IOException {
    Score s = score(new LocalRulesExtractor());
    System.out.println("local rules: " + s.summary());
    s.details().forEach(d -> System.out.println("  " + d));
    assertTrue(s.precision() >= MIN_PRECISION, s.summary() + "\n" + s.details());
    assertTrue(s.recall() >= MIN_RECALL, s.summary() + "\n" + s.details());
  }

  /** The floors hold on conversations the rules were not built on. */
  @Test
  void localRulesMeetTheTargetsOnTheHeldOutCorpus() throws IOException {
    Score s = score(new LocalRulesExtractor(), HELD_OUT);
    System.out.println("local rules, held-out: " + s.summary());
    assertTrue(s.precision() >= MIN_PRECISION, s.summary() + "\n" + s.details());
    assertTrue(s.recall() >= MIN_RECALL, s.summary() + "\n" + s.details());
  }

  public static void main(String[] args) throws IOException {
    Score s = score(new LocalRulesExtractor());
    System.out.println("local rules: " + s.summary());
    System.out.printf(
        Locale.ROOT, "targets: precision >= %.2f, recall >= %.2f%n", MIN_PRECISION, MIN_RECALL);
    s.details().forEach(d -> System.out.println("  " + d));
    LlmExtractionLaneTest.print();
    System.out.println();
    AdmissionCorpusTest.main(args); // the held-out corpus, and both behind noise filter + admission
  }
}
