package dev.omem.ingest;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Clause cuts of one sentence, and the runs of kept clauses that are stored (fixed cases). */
class ClauseSplitterTest {

  private static List<String> clauses(String sentence) {
    return ClauseSplitter.split(sentence).stream()
        .map(s -> ClauseSplitter.text(sentence, s.from(), s.to()))
        .toList();
  }

  @Test
  void aLeadInBeforeAColonAndRequestsJoinedByAndAreClauses() {
    assertEquals(
        List.of("Change of plan", "I now use bun instead of pnpm for all JavaScript projects."),
        clauses("Change of plan: I now use bun instead of pnpm for all JavaScript projects."));
    assertEquals(
        List.of("Use just soft deletes", "Then add the endpoint for the orders"),
        clauses("use just soft deletes, and then add the endpoint for the orders"));
    assertEquals(
        List.of("It works locally", "CI still fails on the lint step"),
        clauses("It works locally but CI still fails on the lint step"));
  }

  @Test
  void aSideTooShortToStandAloneIsNoClause() {
    assertEquals(List.of("Stack: Phoenix 1.8"), clauses("Stack: Phoenix 1.8"));
    assertEquals(List.of("Task status: TODO or DONE"), clauses("Task status: TODO or DONE"));
    assertEquals(
        List.of("Track price and stock in the app"), clauses("Track price and stock in the app"));
    assertEquals(
        List.of("Use `a and b and c` as the filter"), clauses("Use `a and b and c` as the filter"));
    assertEquals(
        List.of("See http://example.com for the docs"),
        clauses("See http://example.com for the docs"));
  }

  @Test
  void keptClausesSideBySideAreOneFactAndASentenceIsTrimmedToItsKeptClauses() {
    List<LearnedExtractor.Sentence> pieces =
        LearnedExtractor.sentences(
            List.of(
                new FactExtractor.Turn(
                    "user",
                    "Quick thing before we start: the API lives in api/ and workers never touch"
                        + " the database. We deploy from the main branch.")),
            true);
    assertEquals(
        List.of(
            "Quick thing before we start",
            "The API lives in api/",
            "Workers never touch the database.",
            "We deploy from the main branch."),
        pieces.stream().map(LearnedExtractor.Sentence::text).toList());
    boolean[] kept = {false, true, true, true};
    List<String> stored =
        LearnedExtractor.runs(pieces, kept).stream()
            .map(r -> LearnedExtractor.text(pieces, r[0], r[1]))
            .toList();
    assertEquals(
        List.of(
            "The API lives in api/ and workers never touch the database.",
            "We deploy from the main branch."),
        stored,
        "the lead-in goes, two kept clauses of one sentence stay one fact, the next sentence is"
            + " another");
    assertEquals(
        List.of("Workers never touch the database."),
        LearnedExtractor.runs(pieces, new boolean[] {false, false, true, false}).stream()
            .map(r -> LearnedExtractor.text(pieces, r[0], r[1]))
            .toList());
  }

  @Test
  void withoutClausesASentenceIsOnePieceAndItsLeadInGoesByTheFillerRule() {
    List<FactExtractor.Turn> turn =
        List.of(
            new FactExtractor.Turn(
                "user", "Change of plan: I now use bun and the API lives in api/ from now on."));
    assertEquals(
        List.of("I now use bun and the API lives in api/ from now on."),
        LearnedExtractor.sentences(turn, false).stream()
            .map(LearnedExtractor.Sentence::text)
            .toList());
    assertEquals(
        List.of("Change of plan", "I now use bun", "The API lives in api/ from now on."),
        LearnedExtractor.sentences(turn, true).stream()
            .map(LearnedExtractor.Sentence::text)
            .toList());
  }

  @Test
  void theWeightsSayWhetherTheirPiecesAreClauses() throws java.io.IOException {
    ExtractionModel shipped = ExtractionModel.shipped();
    assertFalse(shipped.clauses(), "the shipped weights were fitted on sentences");
    String written = shipped.withClauses(true).write("clauses");
    assertTrue(written.contains("\nclauses 1"), written.substring(0, 200));
    assertTrue(
        ExtractionModel.read(
                new java.io.ByteArrayInputStream(
                    written.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
            .clauses());
    assertFalse(shipped.write("sentences").contains("\nclauses"));
  }
}
