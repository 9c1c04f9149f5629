package dev.omem.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The word-pair probe's table (WordPairFit.table) and feature on pairs written here. */
class WordPairFitTest {

  private static WordPairFit.Words pair(String project, String q, String m, boolean relevant) {
    return new WordPairFit.Words(project, WordPairFit.words(q), WordPairFit.words(m), relevant);
  }

  @Test
  void aWordPairRelevantInTwoProjectsWeighsAndOneSeenInOneProjectDoesNot() {
    List<WordPairFit.Words> pairs =
        List.of(
            pair("p1", "add a column", "migrations are Flyway", true),
            pair("p1", "add a column", "deploys are nightly", false),
            pair("p2", "new column please", "Flyway migrations only", true),
            pair("p2", "new column please", "the gateway limits rates", false),
            pair("p3", "staging build", "deploys are nightly", true),
            pair("p3", "staging build", "Flyway migrations only", false));
    WordPairFit.Table t = WordPairFit.table(pairs);
    // column → migration: relevant in p1 and p2, so it carries a positive weight.
    assertTrue(t.weight("column", "migrat") > 0, t.w().toString());
    // staging → nightly: relevant only in p3, so it is dropped (one project's wording).
    assertEquals(0.0, t.weight("stage", "night"));
    assertEquals(0.0, t.weight("column", "column")); // equal words are BM25's, never in the table
    double f = WordPairFit.feature(t, Set.of("column"), WordPairFit.words("Flyway migrations"));
    assertEquals(t.weight("column", "migrat"), f, 1e-12);
    assertEquals(0.0, WordPairFit.feature(t, Set.of(), Set.of("migrat")));
  }

  @Test
  void wordsAreStemmedLowerCasedAndStopWordsDropped() {
    assertEquals(
        Set.of("add", "column", "book", "tabl"),
        WordPairFit.words("Add a column to the bookings table"));
  }
}
