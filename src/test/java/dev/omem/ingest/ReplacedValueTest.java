package dev.omem.ingest;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.domain.Category;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The old value a change of mind names, and the supersession it drives (fixed cases written for
 * this test): the stored fact holding the named value is replaced even when another neighbour is
 * nearer by cosine; nothing is replaced when no stored fact holds it.
 */
class ReplacedValueTest {
  @Test
  void theNamedOldValueIsRead() {
    assertEquals(
        Optional.of(Set.of("bun-promptx")),
        ReplacedValue.of("use `@clack/prompts` instead of bun-promptx"));
    assertEquals(
        Optional.of(Set.of("pnpm")),
        ReplacedValue.of("I now use bun instead of pnpm for all JavaScript projects."));
    assertEquals(
        Optional.of(Set.of("session", "cd")),
        ReplacedValue.of("ok, lets just rename session cd to dir"));
    assertEquals(
        Optional.of(Set.of("circleci")),
        ReplacedValue.of("We switched CI from CircleCI to GitHub Actions last week."));
    assertEquals(
        Optional.of(Set.of("moment")),
        ReplacedValue.of("Replace moment with date-fns everywhere."));
  }

  @Test
  void aDotInsideANameDoesNotEndTheOldValue() {
    assertEquals(
        Optional.of(Set.of("main.yml", "step")),
        ReplacedValue.of("Nevermind, use the tasks.json solution instead of the main.yml step."));
    assertEquals(
        Optional.of(Set.of("fly.io")),
        ReplacedValue.of("From now on we deploy to Render instead of Fly.io."));
    assertEquals(
        Optional.of(Set.of("fly.io")), ReplacedValue.of("We moved hosting from Fly.io to Render."));
  }

  @Test
  void aSentenceWithoutAChangeNamesNothing() {
    assertEquals(Optional.empty(), ReplacedValue.of("Use soft deletes for every table."));
    assertEquals(Optional.empty(), ReplacedValue.of("Move the button to the right."));
  }

  private static ReconcileJudge.Neighbour n(String id, String text, double sim) {
    return new ReconcileJudge.Neighbour(id, text, Category.PATTERNS, sim, false);
  }

  @Test
  void theStoredFactHoldingTheOldValueIsSupersededEvenWhenNotNearest() {
    ReconcileJudge.Verdict v =
        new Reconciler()
            .decide(
                "Use @clack/prompts instead of bun-promptx.",
                List.of(
                    n(
                        "near",
                        "The init command writes a config file to the repository root.",
                        0.74),
                    n(
                        "old",
                        "Prompt only for values not passed as flags, using bun-promptx.",
                        0.66)),
                true);
    assertEquals(Decision.SUPERSEDE, v.decision());
    assertEquals("old", v.targetId());
  }

  @Test
  void noStoredFactHoldsTheOldValue() {
    ReconcileJudge.Verdict v =
        new Reconciler()
            .decide(
                "Use @clack/prompts instead of bun-promptx.",
                List.of(n("other", "The init command writes a config file.", 0.60)),
                true);
    assertEquals(Decision.CREATE, v.decision());
  }

  @Test
  void anExplicitStatementReplacesOnlyWhenTheWordsAgree() {
    // The same sentence stored by the agent (not extracted): the named value alone decides nothing.
    ReconcileJudge.Verdict v =
        new Reconciler()
            .decide(
                "Use @clack/prompts instead of bun-promptx.",
                List.of(n("old", "Prompt only for missing values, using bun-promptx.", 0.66)),
                false);
    assertEquals(Decision.CREATE, v.decision());
  }

  @Test
  void aSettingGivenANewLiteralValueIsAChange() {
    assertTrue(ReplacedValue.setsLiteral("Change the header background to #ffeedd."));
    assertTrue(ReplacedValue.setsLiteral("Set the API timeout to 30 seconds."));
    assertTrue(ReplacedValue.setsLiteral("Switch the default model to `small-v2`."));
    // Not a literal value: a place, a vague wish, or no new value at all.
    assertFalse(ReplacedValue.setsLiteral("Move the button to the left."));
    assertFalse(ReplacedValue.setsLiteral("Change it to something nicer."));
    assertFalse(ReplacedValue.setsLiteral("Add a logout button to the header."));
    assertFalse(ReplacedValue.setsLiteral("Update the docs."));
  }

  @Test
  void aNewLiteralValueKeepsThePieceUnlessItAsks() {
    assertTrue(LearnedExtractor.namesReplaced("Change the header background to #ffeedd."));
    assertFalse(LearnedExtractor.namesReplaced("Should we set the timeout to 30 seconds?"));
  }
}
