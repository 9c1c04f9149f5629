package dev.omem.ingest;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.domain.Category;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Supersession on topic slots with the real model's cosine (fixed cases written for this test): a
 * changed mind about the same subject replaces the stored fact; a fact about another subject, even
 * with a change cue, is stored beside it.
 */
class ChangeOfMindTest {
  private final Reconciler rules = new Reconciler();

  private Decision decide(String stored, String fresh) {
    double sim = ReconcilerCalibrationTest.cosine(stored, fresh);
    return rules
        .decide(
            fresh,
            List.of(new ReconcileJudge.Neighbour("old", stored, Category.PREFERENCES, sim, false)))
        .decision();
  }

  @org.junit.jupiter.api.BeforeAll
  static void load() {
    ReconcilerCalibrationTest.load();
  }

  @org.junit.jupiter.api.AfterAll
  static void close() {
    ReconcilerCalibrationTest.close();
  }

  @Test
  void aNewPackageManagerReplacesTheOld() {
    assertEquals(
        Decision.SUPERSEDE,
        decide(
            "I always use pnpm, never npm, for JavaScript projects.",
            "I now use bun instead of pnpm for all JavaScript projects."));
  }

  @Test
  void spacesAfterTabsReplaceThem() {
    assertEquals(
        Decision.SUPERSEDE, decide("Indent with tabs.", "Actually, indent with spaces, not tabs."));
  }

  @Test
  void aNewDeployTargetReplacesTheOld() {
    assertEquals(
        Decision.SUPERSEDE,
        decide("We deploy to Fly.io.", "From now on we deploy to Render instead of Fly.io."));
  }

  @Test
  void anotherSubjectStaysBesideEvenWithAChangeCue() {
    assertEquals(
        Decision.CREATE,
        decide(
            "We deploy to Fly.io.", "I now use bun instead of pnpm for all JavaScript projects."));
    assertEquals(
        Decision.CREATE,
        decide(
            "Please keep commit messages under 72 characters.",
            "Actually, indent with spaces, not tabs."));
  }

  @Test
  void withoutACueASimilarFactOfAnotherSlotStays() {
    assertEquals(Decision.CREATE, decide("Tests use Jest.", "We deploy to Fly.io."));
  }
}
