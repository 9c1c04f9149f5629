package dev.omem.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A piece that names its subject by a pronoun is stored after the sentence before it. */
class AntecedentTest {
  @Test
  void aPronounTakesTheSentenceBefore() {
    assertEquals(
        "Let's set vite to run on a different starting port in this project. Let's try setting it"
            + " to start at 3600.",
        Antecedent.withAntecedent(
            "Let's try setting it to start at 3600.",
            "Let's set vite to run on a different starting port in this project."));
  }

  @Test
  void aPieceThatNamesItsSubjectStaysAlone() {
    assertEquals(
        "The dev server starts on port 3600.",
        Antecedent.withAntecedent(
            "The dev server starts on port 3600.", "Let's change the dev setup a little."));
    // "items" and "itself" hold no pronoun of their own
    assertEquals(
        "Keep the list items sorted.",
        Antecedent.withAntecedent("Keep the list items sorted.", "We render a list."));
  }

  @Test
  void noAntecedentFromNothingAQuestionOrPastedOutput() {
    assertEquals("Keep it light.", Antecedent.withAntecedent("Keep it light.", null));
    assertEquals(
        "Keep it light.", Antecedent.withAntecedent("Keep it light.", "Should we add a theme?"));
    assertEquals(
        "Fix it.",
        Antecedent.withAntecedent(
            "Fix it.", "error: Status must be 'DONE' or 'TODO' at (src/domain/tasks.ts:80:13)"));
  }

  @Test
  void aJoinOverTheBoundKeepsThePiece() {
    String longer = "We use a long sentence here. ".repeat(9).strip();
    assertEquals("Keep it so.", Antecedent.withAntecedent("Keep it so.", longer));
  }
}
