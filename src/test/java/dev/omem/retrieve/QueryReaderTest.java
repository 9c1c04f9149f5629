package dev.omem.retrieve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class QueryReaderTest {
  @Test
  void dropsTheQuestionsGrammarAndKeepsItsTopic() {
    assertEquals(
        "Caroline go to the LGBTQ support group",
        QueryReader.keywords("When did Caroline go to the LGBTQ support group?"));
    assertEquals("build command use", QueryReader.keywords("Which build command should I use?"));
    assertEquals("Melanie's pets", QueryReader.keywords("What are Melanie's pets?"));
  }

  @Test
  void aQueryOfOnlyQuestionWordsIsKeptWhole() {
    assertEquals("what is it?", QueryReader.keywords("what is it?"));
  }
}
