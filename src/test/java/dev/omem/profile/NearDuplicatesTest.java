package dev.omem.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The examples {@link NearDuplicates#JACCARD} was checked on. */
class NearDuplicatesTest {
  @Test
  void equalOnceNormalised() {
    assertEquals("use pnpm not npm", NearDuplicates.normalise("  Use PNPM — not npm!! "));
    assertTrue(NearDuplicates.same("Use pnpm, not npm.", "use PNPM not npm"));
  }

  @Test
  void aLeadingWordMoreOrLessIsTheSameStatement() {
    assertTrue(
        NearDuplicates.same("The user prefers tabs over spaces", "User prefers tabs over spaces."));
  }

  @Test
  void aQualifierAChangedWordOrATurnedOrderIsAnotherStatement() {
    assertFalse(
        NearDuplicates.same("I prefer pnpm over npm", "I prefer pnpm over npm for this repo"));
    assertFalse(NearDuplicates.same("we deploy on fridays only", "we deploy on mondays only"));
    assertFalse(
        NearDuplicates.same(
            "The user prefers tabs over spaces", "The user prefers spaces over tabs"));
  }

  @Test
  void textsWithoutWordsAreOnlyEqualToThemselves() {
    assertTrue(NearDuplicates.same("!!!", "?"), "both normalise to nothing");
    assertFalse(NearDuplicates.same("!!!", "ok"));
  }
}
