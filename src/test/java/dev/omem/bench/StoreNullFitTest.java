package dev.omem.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Session 19's measured features (StoreNullFit) and miss styles (MissStyleProbe) on fixed cases.
 */
class StoreNullFitTest {
  @Test
  void clausesCutAtSentenceEndsAndSemicolonsAndShortOnesJoinTheirNeighbour() {
    assertEquals(
        List.of(
            "Migrations are Flyway files under db/migration.",
            "Never edit one that is merged;",
            "add a new one instead. Really."),
        StoreNullFit.clauses(
            "Migrations are Flyway files under db/migration. Never edit one that is merged;"
                + " add a new one instead. Really."));
    assertEquals(
        List.of("See: the staging box is redeployed nightly from main."),
        StoreNullFit.clauses("See: the staging box is redeployed nightly from main."));
    assertEquals(
        List.of("Note. Staging is redeployed nightly from main."),
        StoreNullFit.clauses("Note. Staging is redeployed nightly from main."));
  }

  @Test
  void theNullRankIsTheShareOfTheStoresOwnCosinesStrictlyBelow() {
    double[] nulls = {0.2, 0.4, 0.4, 0.6};
    assertEquals(0, StoreNullFit.nullRank(nulls, 0.2), 0);
    assertEquals(0.25, StoreNullFit.nullRank(nulls, 0.4), 0);
    assertEquals(0.75, StoreNullFit.nullRank(nulls, 0.5), 0);
    assertEquals(1, StoreNullFit.nullRank(nulls, 0.9), 0);
    assertEquals(0, StoreNullFit.nullRank(new double[0], 0.9), 0);
  }

  @Test
  void promptStylesForTheDiagnosis() {
    assertEquals("pasted error / failure", MissStyleProbe.style("pytest fails with ImportError"));
    assertEquals("question", MissStyleProbe.style("when does staging get the latest main?"));
    assertEquals("terse", MissStyleProbe.style("bump reqwest"));
    assertEquals("task", MissStyleProbe.style("add a new column to the bookings table"));
  }
}
