package dev.omem.ingest;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Sentence and clause splitting of user turns, and the filler each piece loses (fixed cases). */
class SentenceSplitterTest {

  @Test
  void greetingAndLeadInGoAndBothRulesOfOneTurnStay() {
    assertEquals(
        List.of(
            "I always use pnpm, never npm, for JavaScript projects.",
            "Please keep commit messages under 72 characters."),
        SentenceSplitter.split(
            "Hi! Quick thing before we start: I always use pnpm, never npm, for JavaScript"
                + " projects. And please keep commit messages under 72 characters."));
  }

  @Test
  void aChangeOfPlanKeepsItsChangeWords() {
    assertEquals(
        List.of("I now use bun instead of pnpm for all JavaScript projects."),
        SentenceSplitter.split(
            "Change of plan: I now use bun instead of pnpm for all JavaScript projects."));
    assertEquals(
        List.of("Actually, indent with spaces."),
        SentenceSplitter.split("Ok so actually, indent with spaces."));
  }

  @Test
  void numberedAnswersAndSemicolonsBecomeClauses() {
    assertEquals(
        List.of(
            "Schema looks good.",
            "No need for stock - that is handled in accounting software",
            "One active price at a time",
            "Track the price at the time of purchase, just to be sure"),
        SentenceSplitter.split(
            "Schema looks good.\n1. no need for stock - that is handled in accounting software;"
                + " one active price at a time\n2. yes, track the price at the time of purchase,"
                + " just to be sure"),
        "list marks and a leading 'yes,' go; whether a piece is a fact is the classifier's call");
  }

  @Test
  void abbreviationsFileNamesAndVersionsDoNotEndASentence() {
    assertEquals(
        List.of("Use a bundler, e.g. Vite 5.2 with config in vite.config.ts for the dev server."),
        SentenceSplitter.split(
            "Use a bundler, e.g. Vite 5.2 with config in vite.config.ts for the dev server."));
  }

  @Test
  void codeBlocksAndPastedOutputAreNotSentences() {
    List<String> out =
        SentenceSplitter.split(
            "The build fails:\n```\nError: cannot find module 'x'\n    at load (a.js:1:2)\n```\n"
                + "    at Object.<anonymous> (/src/index.js:10:5)\n"
                + "We use pnpm workspaces.");
    assertEquals(List.of("The build fails:", "We use pnpm workspaces."), out);
  }

  @Test
  void terminalGlyphsAndLineNumberGuttersMarkPastedOutput() {
    List<String> out =
        SentenceSplitter.split(
            "You did it again.\n❯ pnpm run dev\n➜  Local:   http://localhost:3007/\n"
                + "12 |   async setStatus(id: string): Promise<void> {\n"
                + "└─ lib/app/index.ex:70:8\n"
                + "> never use grep on json output, use jq.");
    assertEquals(List.of("You did it again.", "Never use grep on json output, use jq."), out);
  }

  @Test
  void greetingsAndThanksAloneLeaveNothing() {
    assertEquals(List.of(), SentenceSplitter.split("Hi!\nThanks!\nok\nlooks good"));
  }

  @Test
  void aLongSentenceIsCutAtCommasIntoStorablePieces() {
    String item = "the checkout service keeps its own price table for every product variant";
    String turn = String.join(", ", List.of(item, item, item, item, item)) + ".";
    List<String> out = SentenceSplitter.split(turn);
    assertTrue(out.size() >= 2, out.toString());
    out.forEach(s -> assertTrue(s.length() <= SentenceSplitter.MAX_CHARS, s));
    assertEquals(
        turn.replaceAll("[,.]", "").replace(" ", "").toLowerCase(java.util.Locale.ROOT),
        String.join("", out)
            .replaceAll("[,.]", "")
            .replace(" ", "")
            .toLowerCase(java.util.Locale.ROOT),
        "nothing is lost in the cut");
  }

  @Test
  void fillerIsOnlyTakenFromTheFront() {
    assertEquals(
        "We never deploy on Fridays, ok?",
        DiscourseFiller.strip("We never deploy on Fridays, ok?"));
    assertEquals("Task status: TODO or DONE", DiscourseFiller.strip("Task status: TODO or DONE"));
    assertEquals(
        "Workers never touch the database",
        DiscourseFiller.strip("Also: workers never touch the database"));
    assertEquals("", DiscourseFiller.strip("Thank you!"));
  }
}
