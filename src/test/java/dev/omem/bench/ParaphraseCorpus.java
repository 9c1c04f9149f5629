package dev.omem.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The paraphrase corpus of {@link ScaleBench} (issue 19: recall must not fall as the store grows):
 * 200 coding facts, one per (service, attribute) pair of 20 services and 10 attributes, each with a
 * question that asks for it in other words, hidden among fillers about the same services ({@link
 * SyntheticMemories}: the "memories about the same service crowd the answer out" case). Generated
 * from a seed, so every run and every size holds the same 200 targets; written down in
 * BENCHMARKS.md. The benchmark's own text, never public chat logs.
 */
final class ParaphraseCorpus {
  /** A fact to store and the question that should find it. */
  record Target(String fact, String question) {}

  /** The same 20 services as the fillers, so each target shares its service with ~5% of them. */
  static final List<String> SERVICES =
      List.of(
          "billing",
          "search",
          "auth",
          "checkout",
          "inventory",
          "payments",
          "gateway",
          "notifications",
          "reporting",
          "ingest",
          "scheduler",
          "profile",
          "catalog",
          "shipping",
          "analytics",
          "export",
          "importer",
          "webhooks",
          "ledger",
          "pricing");

  private static final List<String> PEOPLE =
      List.of("Alice", "Bob", "Chen", "Dara", "Emeka", "Farah", "Goran", "Hana", "Ivan", "Jun");
  private static final List<String> DAYS =
      List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday");
  private static final List<String> LANGUAGES =
      List.of("Kotlin", "Go", "Rust", "TypeScript", "Python", "Elixir", "Scala", "C#");
  private static final List<String> LEVELS = List.of("DEBUG", "INFO", "WARN", "TRACE");

  private ParaphraseCorpus() {}

  /**
   * Prints the questions of {@link ScaleBench}'s targets, one a line (scripts/bench-scale-exact).
   */
  public static void main(String[] args) {
    targets(ScaleBench.CORPUS_SEED).forEach(t -> System.out.println(t.question()));
  }

  /** The 200 targets, in a fixed order. */
  static List<Target> targets(long seed) {
    Random rnd = new Random(seed);
    List<Target> out = new ArrayList<>();
    for (String s : SERVICES) {
      for (int a = 0; a < 10; a++) {
        out.add(target(s, a, rnd));
      }
    }
    return out;
  }

  /** Fact and question share the service's name and little else: the question paraphrases. */
  private static Target target(String s, int attribute, Random rnd) {
    String person = PEOPLE.get(rnd.nextInt(PEOPLE.size()));
    int n = 2 + rnd.nextInt(60);
    return switch (attribute) {
      case 0 ->
          new Target(
              "The pager for " + s + " goes to " + person + "'s team first during the night shift.",
              "who gets woken up when " + s + " breaks at 3am?");
      case 1 ->
          new Target(
              "In local development " + s + " listens on port " + (8000 + rnd.nextInt(1000)) + ".",
              "which port do I hit to reach " + s + " running on my laptop?");
      case 2 ->
          new Target(
              "The " + s + " database connection pool is capped at " + n + " connections.",
              "how many DB handles can " + s + " hold open at most?");
      case 3 ->
          new Target(
              "Releases of "
                  + s
                  + " to production are frozen on "
                  + DAYS.get(rnd.nextInt(DAYS.size()))
                  + " afternoons.",
              "when am I not allowed to ship " + s + " live?");
      case 4 ->
          new Target(
              s + " keeps cached responses for " + n + " minutes before refetching them.",
              "how long does " + s + " hold on to a cached answer?");
      case 5 ->
          new Target(
              "Run the end-to-end suite of " + s + " with make e2e-" + s + " from the repo root.",
              "what command starts the integration tests for " + s + "?");
      case 6 ->
          new Target(
              s + " reads its settings from config/" + s + "-" + n + ".yaml at start-up.",
              "where is the configuration file of " + s + " kept?");
      case 7 ->
          new Target(
              "The " + s + " codebase is written in " + LANGUAGES.get(rnd.nextInt(8)) + ".",
              "what programming language is " + s + " implemented in?");
      case 8 ->
          new Target(
              s + " gives up after " + (2 + rnd.nextInt(8)) + " failed attempts to call upstream.",
              "what's the maximum number of tries " + s + " makes against a dependency?");
      default ->
          new Target(
              "On staging " + s + " logs at " + LEVELS.get(rnd.nextInt(4)) + " level.",
              "how verbose is " + s + "'s output in the pre-prod environment?");
    };
  }
}
