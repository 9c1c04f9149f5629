package dev.omem.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.config.OmemConfig;
import dev.omem.domain.Profile;
import dev.omem.service.Caller;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.StoreRequest;
import dev.omem.testing.MovableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The profile through a real local service (SQLite; no embedding model, which the profile does not
 * use), with a clock the test moves: duplicates shown once, the better twin kept, lists and items
 * short, the recent window and the caller's project respected.
 */
class ProfileBuilderTest {

  @TempDir Path home;
  final MovableClock clock = new MovableClock(Instant.parse("2026-11-18T15:30:00Z")); // a Wednesday
  final Caller me = Caller.local("github.com/acme/alpha");
  final Caller other = Caller.local("github.com/acme/beta");
  LocalMemoryService svc;

  @BeforeEach
  void open() {
    // The float32 model is not on the test class path: no model loads, and none is needed here.
    svc = LocalMemoryService.open(new OmemConfig(home, "bge-small-en-v1.5"), clock);
  }

  @AfterEach
  void close() {
    svc.close();
  }

  /**
   * Stores through the bulk path, which keeps exact repeats out but does not reconcile: the store
   * then holds near-duplicates (as one written before reconciliation, or by an import, does) and
   * the profile must still show each statement once.
   */
  void store(Caller c, String content, String category, double importance) {
    svc.storeAll(c, List.of(new StoreRequest(content, null, null, category, null, importance)));
  }

  Profile profile() {
    return svc.profile(me);
  }

  @Test
  void aRestatedPreferenceIsShownOnceInTheWordsOfTheMoreImportantOne() {
    store(me, "The user prefers tabs over spaces in Go files", "preferences", 0.6);
    store(me, "User prefers tabs over spaces in Go files.", "preferences", 0.9);
    store(me, "THE USER PREFERS TABS OVER SPACES IN GO FILES!!", "preferences", 0.5);
    store(me, "The user prefers spaces over tabs in Go files", "preferences", 0.4);
    store(me, "My name is Dana and I work on the billing team", "profile", 0.7);
    assertEquals(
        List.of(
            "User prefers tabs over spaces in Go files.",
            "My name is Dana and I work on the billing team",
            "The user prefers spaces over tabs in Go files"),
        profile().staticFacts());
  }

  @Test
  void ofEquallyImportantTwinsTheNewerIsShown() {
    store(me, "Always squash commits before merging to main", "preferences", 0.7);
    clock.advance(Duration.ofHours(2));
    store(me, "Always squash the commits before merging to main", "preferences", 0.7);
    assertEquals(
        List.of("Always squash the commits before merging to main"), profile().staticFacts());
  }

  @Test
  void recentContextKeepsTheMoreImportantTwinInTheNewerOnesPlace() {
    store(me, "Fixed the flaky checkout test by waiting for the cart request", "cases", 0.9);
    clock.advance(Duration.ofHours(1));
    store(me, "Deployed release 4.2 to staging", "events", 0.5);
    clock.advance(Duration.ofHours(1));
    store(me, "Fixed the flaky checkout test, by waiting for the cart request", "cases", 0.5);
    clock.advance(Duration.ofHours(1));
    store(me, "Fixed the flaky checkout test by waiting for the cart request to end", "cases", 0.5);
    // Different texts to the store (three rows), one statement to the profile.
    assertEquals(
        List.of(
            "Fixed the flaky checkout test by waiting for the cart request",
            "Deployed release 4.2 to staging"),
        profile().dynamicContext());
  }

  @Test
  void theListsAreCappedAndLongItemsCutAtAWord() {
    String[] tools = {
      "pnpm", "ripgrep", "tmux", "neovim", "zsh", "fzf", "jq", "httpie", "direnv", "lazygit",
      "bat", "delta", "just", "uv", "ruff", "mypy", "vitest", "playwright", "biome", "esbuild",
      "podman", "k9s", "helm", "tilt", "atuin", "zoxide", "hyperfine", "tokei", "watchexec", "sd"
    };
    String[] uses = {
      "installing packages", "searching code", "terminal sessions", "editing", "the shell",
      "fuzzy finding", "reading JSON", "calling APIs", "project variables", "staging hunks"
    };
    List<String> prefs = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String p =
          "I prefer " + tools[i] + " when " + uses[i % uses.length] + (i >= 10 ? " too" : "");
      prefs.add(p);
      store(me, p, "preferences", 0.5 + i / 100.0);
    }
    String[] services = {"payments", "search", "ledger", "gateway", "billing"};
    String[] work = {"Profiled", "Paired on", "Released", "Load-tested", "Reviewed the design of"};
    for (int i = 0; i < 15; i++) {
      store(me, work[i % 5] + " the " + services[i / 5] + " service", "events", 0.5);
      clock.advance(Duration.ofMinutes(5));
    }
    String longOne =
        "The user wants every generated migration reviewed by a person before it runs, "
            + "because an earlier automated migration dropped a column in production; "
            + "reviews happen in the pull request, with the migration's SQL pasted in the "
            + "description and the rollback steps written underneath it in full detail";
    store(me, longOne, "preferences", 1.0);

    Profile p = profile();
    assertEquals(ProfileBuilder.STATIC_FACTS, p.staticFacts().size());
    assertEquals(ProfileBuilder.DYNAMIC_ITEMS, p.dynamicContext().size());
    String first = p.staticFacts().get(0);
    assertTrue(longOne.length() > ProfileBuilder.MAX_ITEM_CHARS);
    assertTrue(first.length() <= ProfileBuilder.MAX_ITEM_CHARS, first);
    assertTrue(first.endsWith("…"), first);
    assertTrue(longOne.startsWith(first.substring(0, first.length() - 1)), first);
    assertTrue(longOne.charAt(first.length() - 1) == ' ', "cut at a word: " + first);
    // The most important first: the long one, then preferences 29, 28, …
    assertEquals(prefs.get(29), p.staticFacts().get(1));
    assertEquals("Reviewed the design of the ledger service", p.dynamicContext().get(0));
  }

  @Test
  void recentContextIsTheLastWeekOfTheCallersProject() {
    store(me, "Started the migration of the ledger to Postgres 16", "events", 0.6);
    clock.advance(Duration.ofDays(8));
    store(me, "Moved the nightly export job to 02:00 UTC", "events", 0.6);
    store(other, "Beta's release candidate failed its smoke tests", "events", 0.9);
    store(me, "I prefer small pull requests", "preferences", 0.8);
    Profile p = profile();
    assertEquals(List.of("Moved the nightly export job to 02:00 UTC"), p.dynamicContext());
    assertEquals(List.of("I prefer small pull requests"), p.staticFacts());
    assertFalse(svc.profile(other).dynamicContext().contains(p.dynamicContext().get(0)));
  }
}
