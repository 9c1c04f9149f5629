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
  void readsARequestForItsTopic() {
    assertEquals(
        "a column to the bookings table",
        QueryReader.keywords("please add a new column to the bookings table"));
    assertEquals("rename the users table", QueryReader.keywords("Can you rename the users table?"));
    assertEquals("Jon's dance make", QueryReader.keywords("What does Jon's dance make him?"));
  }

  @Test
  void keepsIdentifiersWhole() {
    assertEquals(
        "src/main/App.tsx fail with ERR_MODULE_NOT_FOUND",
        QueryReader.keywords("why does src/main/App.tsx fail with ERR_MODULE_NOT_FOUND?"));
    assertEquals(
        "git commit no-verify v1.2.3 getUserById",
        QueryReader.keywords("git commit --no-verify v1.2.3 getUserById."));
  }

  @Test
  void aQueryOfOnlyQuestionWordsIsKeptWhole() {
    assertEquals("what is it?", QueryReader.keywords("what is it?"));
  }
}
