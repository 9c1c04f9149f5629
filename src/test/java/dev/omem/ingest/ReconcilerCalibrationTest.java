package dev.omem.ingest;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.embed.Embedder;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.embed.ModelCatalog;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where {@link Reconciler}'s thresholds come from: cosines of the real model (bge-small-en-v1.5)
 * over pairs of each kind, printed, and the decision each pair gets. Run its main-like test to see
 * the figures ({@code mvn -o test -Dtest=ReconcilerCalibrationTest}).
 */
class ReconcilerCalibrationTest {
  static EmbeddingProvider provider;
  static Embedder embedder;

  /** old, new, the decision expected. */
  record Pair(String old, String fresh, Decision expected) {}

  static final List<Pair> PAIRS =
      List.of(
          // restatements in other words: one memory
          new Pair(
              "I prefer pnpm over npm for JavaScript projects",
              "For JavaScript projects I'd rather use pnpm than npm",
              Decision.SKIP),
          new Pair(
              "Integration tests need Docker running locally",
              "You must have Docker up on your machine for the integration test suite",
              // A paraphrase under SAME_FACT with other words: stored apart (the safe miss).
              Decision.CREATE),
          new Pair(
              "Always run the linter before committing",
              "Run the linter before every commit, always",
              Decision.SKIP),
          new Pair(
              "The API server is written in Go", "Our API server is written in Go.", Decision.SKIP),
          // more detail on the same fact
          new Pair(
              "We deploy with Helm",
              "We deploy with Helm charts kept in the infra repo",
              Decision.MERGE),
          // changed facts
          new Pair(
              "I prefer tabs for indentation",
              "Actually I now prefer spaces for indentation",
              Decision.SUPERSEDE),
          new Pair(
              "I prefer tabs for indentation",
              "I prefer spaces for indentation",
              Decision.SUPERSEDE),
          new Pair(
              "We use PostgreSQL 14 for the orders database",
              "We switched to PostgreSQL 16 for the orders database",
              Decision.SUPERSEDE),
          new Pair(
              "The user prefers tabs over spaces in Go files",
              "The user prefers spaces over tabs in Go files",
              Decision.SUPERSEDE),
          new Pair(
              "I prefer tabs for indentation", "For indentation, I prefer tabs", Decision.SKIP),
          // contradicted
          new Pair(
              "Always squash commits when merging",
              "Never squash commits when merging",
              Decision.CONTRADICT),
          // qualified
          new Pair(
              "Use pytest for tests",
              "Use pytest for tests, but only with the -x flag in CI",
              Decision.CONTEXTUALIZE),
          // different facts that look alike: kept apart
          new Pair("First fact for delete all", "Third fact for delete all", Decision.CREATE),
          new Pair("Old deploy note one", "Old deploy note two", Decision.CREATE),
          new Pair(
              "The staging database runs on port 5433",
              "The billing service owns the invoices table",
              Decision.CREATE),
          new Pair(
              "I prefer dark mode in every editor",
              "I prefer pnpm over npm for JavaScript projects",
              Decision.CREATE),
          new Pair(
              "The frontend is built with React",
              "The admin dashboard uses Vue and Vuetify components",
              Decision.CREATE),
          // numbered instances of one template: other facts, not a changed setting
          new Pair(
              "Server 6 note 0: the auth service uses setting auth-6-0 since sprint 0.",
              "Server 6 note 8: the auth service uses setting auth-6-8 since sprint 8.",
              Decision.CREATE),
          new Pair(
              "Server 3 note 0: the testing service uses setting testing-3-0 since sprint 0.",
              "Server 0 note 3: the testing service uses setting testing-0-3 since sprint 3.",
              Decision.CREATE),
          new Pair(
              "The staging database uses port 5433",
              "The staging database uses port 5434",
              Decision.SUPERSEDE),
          new Pair(
              "Stream fact 1: release train 1 ships on day 1.",
              "Stream fact 2: release train 2 ships on day 2.",
              Decision.CREATE),
          // long turns of one conversation: close in cosine, other words; neither a restatement,
          // a contradiction ("no") nor a change ("actually")
          new Pair(
              "(3:10 pm on 4 March, 2025) Dana: Thanks, Lee! The deploy finally went through and"
                  + " the whole team was really happy. It was a long week, but we got there!",
              "(3:10 pm on 4 March, 2025) Lee: That's great, Dana! I'm so glad the team pulled it"
                  + " off. You all worked so hard this week, you really deserve a break, no doubt!",
              Decision.CREATE),
          new Pair(
              "(3:10 pm on 4 March, 2025) Dana: The kids are so excited about the holidays! We're"
                  + " thinking about going camping in the mountains next month. Any fun plans?",
              "(3:10 pm on 4 March, 2025) Dana: That sounds lovely! Actually, I just took the kids"
                  + " camping by the lake last week - it was a really nice time together!",
              Decision.CREATE),
          new Pair(
              "Meeting notes from Monday: discussed the roadmap",
              "Meeting notes from Tuesday: discussed the budget",
              Decision.CREATE));

  @BeforeAll
  static void load() {
    provider = new EmbeddingProvider(ModelCatalog.DEFAULT);
    provider.startLoading();
    embedder = provider.awaitReady(Duration.ofMinutes(2)).orElseThrow();
  }

  @AfterAll
  static void close() {
    provider.close();
  }

  static double cosine(String a, String b) {
    float[] x = embedder.embedDocument(a);
    float[] y = embedder.embedDocument(b);
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * y[i];
    }
    return s;
  }

  @Test
  void eachKindOfPairGetsItsDecision() {
    Reconciler r = new Reconciler();
    StringBuilder report = new StringBuilder();
    int wrong = 0;
    for (Pair p : PAIRS) {
      double sim = cosine(p.old(), p.fresh());
      ReconcileJudge.Verdict v =
          r.decide(
              p.fresh(),
              List.of(
                  new ReconcileJudge.Neighbour(
                      "old", p.old(), dev.omem.domain.Category.PREFERENCES, sim, false)));
      boolean ok = v.decision() == p.expected();
      wrong += ok ? 0 : 1;
      report.append(
          String.format(
              "%s %.3f %-13s (want %-13s) %s -> %s%n",
              ok ? "  " : "XX", sim, v.decision(), p.expected(), p.old(), p.fresh()));
    }
    System.out.print(report);
    assertEquals(0, wrong, report.toString());
  }
}
