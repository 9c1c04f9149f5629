package dev.omem.ingest;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * Pasted output is told from the user's own words by its form (fixed cases written for this test,
 * not dev data). The extractor's use of it: {@code
 * ExtractionModelTest.theExtractorDropsTheErrorPastedIntoATurn}.
 */
class PastedFormTest {
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
}
