package dev.omem.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each kind of noise is dropped for its own reason; facts, however casual, are kept. */
class NoiseFilterTest {
  private final NoiseFilter filter = new NoiseFilter();

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ok                                                     | too short",
        "thanks man                                             | too short",
        "it is what it is, you know                             | no content words",
        "thanks, that one finally worked perfectly              | greeting, thanks or acknowledgement",
        "Hey there, good to be back at it                       | greeting, thanks or acknowledgement",
        "Which logger does the payments module use?             | question",
        "how does the retry queue handle poison messages        | question",
        "is there a reason the cache is keyed by tenant         | question",
        "Let me look at the flame graph first                   | status chatter",
        "I'm going to restart the emulator and try once more    | status chatter",
        "running the migration script now                       | status chatter",
        "fix the null check in OrderMapper                      | request for the moment",
        "please bump the lodash version in the lockfile         | request for the moment",
        "let's pick this up after the standup                   | request for the moment",
        "I think the leak could be in the image cache           | hedge or guess",
        "The user asked the assistant to rename the module      | about the conversation",
        "The assistant suggested splitting the controller       | about the conversation",
        "the integration tests are failing on my branch         | transient state",
        "The staging deploy is broken at the moment             | transient state",
        "here is the output of the linter:                      | introduces pasted text",
      })
  void dropsEachKindOfNoiseForItsReason(String text, String reason) {
    NoiseFilter.Verdict v = filter.check(text);
    assertTrue(v.noise(), text);
    assertEquals(reason, v.reason(), text);
  }

  @Test
  void dropsPastedOutputStackTracesListingsAndCode() {
    assertEquals(
        "tool output or stack trace",
        filter
            .check(
                "java.lang.IllegalStateException: pool closed\n"
                    + "    at com.shop.db.Pool.get(Pool.java:88)\n"
                    + "    at com.shop.api.Orders.list(Orders.java:41)")
            .reason());
    assertEquals(
        "tool output or stack trace",
        filter
            .check(
                "Traceback (most recent call last):\n"
                    + "  File \"app/main.py\", line 12, in <module>\n"
                    + "KeyError: 'user'")
            .reason());
    assertEquals("tool output", filter.check("=== 3 failed, 118 passed in 4.21s ===").reason());
    assertEquals(
        "tool output",
        filter.check("src/app.ts:14:7: error TS2304: Cannot find name 'x'").reason());
    assertEquals(
        "file listing",
        filter.check("src/index.ts src/util/date.ts package.json README.md").reason());
    assertEquals(
        "code", filter.check("const total = items.reduce((a, b) => a + b.price, 0);").reason());
    assertEquals(
        "code", filter.check("def handler(event, context):\n    return {'ok': True}").reason());
    assertEquals("code", filter.check("```\nmake build && ./bin/run --dev\n```").reason());
  }

  @Test
  void dropsParaphrasesOfTheExemplars() {
    // No rule names these: only their likeness to "there are three failing tests right now" and
    // "it works on my machine" drops them.
    NoiseFilter.Verdict v = filter.check("there are two failing tests at this point");
    assertTrue(v.reason().startsWith("like noise exemplar"), v.reason());
    NoiseFilter.Verdict machine = filter.check("well it works fine on my machine though");
    assertTrue(machine.reason().startsWith("like noise exemplar"), machine.reason());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "I prefer tabs over spaces in Go files.",
        "We use Conventional Commits for every commit message.",
        "Please never commit generated protobuf code, regenerate it in CI.",
        "Always run the migrations before the seed script.",
        "The user prefers short answers without summaries at the end.",
        "My name is Ana and I lead the mobile team.",
        "The billing service talks to Stripe through a thin adapter in billing/stripe.",
        "Run the integration tests with make itest before every release.",
        "Don't add comments that restate the code.",
        "When a migration fails, roll back with flyway undo, not by hand.",
        "Our CI runs on GitHub Actions with a self-hosted runner for ARM builds.",
        "Use ripgrep, not grep, when you search the codebase.",
      })
  void keepsFactsEvenWhenPhrasedCasually(String fact) {
    NoiseFilter.Verdict v = filter.check(fact);
    assertFalse(v.noise(), fact + ": " + v.reason());
    assertEquals(NoiseFilter.Verdict.KEEP, v);
  }

  @Test
  void theSimilarityThresholdDecides() {
    String text = "looks good to me, ship the build";
    double sim = filter.closestSimilarity(text);
    assertTrue(sim > 0.3 && sim < 0.95, "a partial likeness: " + sim);
    List<String> exemplars = NoiseFilter.loadExemplars();
    // Rules first: this text passes them all, so only the exemplars can drop it.
    assertTrue(new NoiseFilter(exemplars, sim).isNoise(text));
    assertFalse(new NoiseFilter(exemplars, Math.min(1.0, sim + 0.01)).isNoise(text));
    assertFalse(new NoiseFilter(List.of(), 0.1).isNoise(text), "no exemplars, no likeness");
  }

  @Test
  void theShippedExemplarsAreAboutSixtyLinesWithoutComments() {
    List<String> exemplars = NoiseFilter.loadExemplars();
    assertTrue(exemplars.size() >= 50 && exemplars.size() <= 80, "" + exemplars.size());
    assertTrue(exemplars.stream().noneMatch(l -> l.startsWith("#") || l.isBlank()));
  }

  @Test
  void rejectsASimilarityOutsideItsRange() {
    assertThrows(IllegalArgumentException.class, () -> new NoiseFilter(List.of(), 0.0));
    assertThrows(IllegalArgumentException.class, () -> new NoiseFilter(List.of(), 1.5));
  }

  /** Prints the cost per fact; speed is reported, not asserted (a shared 2-core machine). */
  @Test
  void printsTheCostPerFact() {
    List<String> texts =
        List.of(
            "I prefer pnpm over npm for this repo.",
            "running the tests now",
            "The API server listens on port 8080 locally.",
            "The user asked the assistant to fix the failing test",
            "We decided to move from Jest to Vitest last sprint.");
    int noise = 0;
    for (int i = 0; i < 20_000; i++) {
      noise += filter.isNoise(texts.get(i % texts.size())) ? 1 : 0; // warm-up
    }
    int n = 50_000;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      noise += filter.isNoise(texts.get(i % texts.size())) ? 1 : 0;
    }
    double micros = (System.nanoTime() - t0) / 1e3 / n;
    System.out.printf(Locale.ROOT, "noise filter: %.1f µs per fact (%d noise)%n", micros, noise);
    assertTrue(noise > 0);
  }
}
