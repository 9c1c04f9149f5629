package dev.omem.ingest;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pasted output is told from the user's own words by its form (fixed cases written for this test,
 * not dev data). The extractor's use of it: {@code
 * ExtractionModelTest.theExtractorDropsTheErrorPastedIntoATurn}.
 */
class PastedFormTest {
  static final String ERROR =
      "TypeError: Cannot read properties of undefined (reading 'map') at OrderList"
          + " (src/OrderList.tsx:42:17)";
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

  /**
   * Short technical facts are as dense in digits and symbols as pasted output (letter shares
   * 0.62-0.85, all under the bound) but hold few punctuation marks: a memory must keep them. The
   * share alone (session 16's first rule) dropped all five.
   */
  @Test
  void shortTechnicalFactsAreNotPasted() {
    for (String fact :
        List.of(
            "The dev server runs on port 3000.",
            "Use Node 20 and pnpm 8.",
            "Use Python 3.11, not 3.12.",
            "The API base URL is http://localhost:8080/api/v1.",
            "Run tests with `npm test -- --runInBand`.")) {
      assertTrue(PastedForm.letterShare(fact) < PastedForm.MIN_LETTER_SHARE, fact);
      assertFalse(PastedForm.pasted(fact), fact + ": punctuation " + PastedForm.punctuation(fact));
    }
    assertEquals(11, PastedForm.punctuation(ERROR));
  }
}
