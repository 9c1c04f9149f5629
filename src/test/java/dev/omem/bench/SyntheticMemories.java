package dev.omem.bench;

import java.util.List;
import java.util.Random;

/**
 * Made-up but varied coding-agent memories and questions for load benchmarks: templates filled from
 * word lists, so that BM25 and vectors both have real work to do.
 */
public final class SyntheticMemories {
  private static final List<String> SERVICES =
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
  private static final List<String> TECH =
      List.of(
          "Postgres",
          "Redis",
          "Kafka",
          "gRPC",
          "GraphQL",
          "Elasticsearch",
          "S3",
          "DynamoDB",
          "RabbitMQ",
          "SQLite",
          "Spring Boot",
          "Micronaut",
          "Quarkus",
          "React",
          "Vue",
          "Svelte",
          "Terraform",
          "Kubernetes",
          "Nomad",
          "Lambda",
          "Celery",
          "Airflow",
          "dbt",
          "Snowflake");
  private static final List<String> VERBS =
      List.of(
          "uses",
          "depends on",
          "was migrated to",
          "talks to",
          "caches data in",
          "publishes events to",
          "reads config from",
          "is deployed with",
          "is tested against");
  private static final List<String> CONCERNS =
      List.of(
          "retries",
          "timeouts",
          "pagination",
          "rate limits",
          "feature flags",
          "logging",
          "metrics",
          "tracing",
          "schema migrations",
          "secrets",
          "backups",
          "load tests",
          "error handling",
          "dependency updates",
          "code review",
          "release notes",
          "linting");
  private static final List<String> RULES =
      List.of(
          "always",
          "never",
          "only on Fridays",
          "before every release",
          "in CI",
          "with a ticket number",
          "behind a flag",
          "in a separate commit",
          "after a review");
  private static final List<String> PEOPLE =
      List.of("Alice", "Bob", "Chen", "Dara", "Emeka", "Farah", "Goran", "Hana", "Ivan", "Jun");

  private final Random rnd;

  public SyntheticMemories(long seed) {
    this.rnd = new Random(seed);
  }

  private String pick(List<String> l) {
    return l.get(rnd.nextInt(l.size()));
  }

  public String memory() {
    int n = rnd.nextInt(100_000);
    return switch (rnd.nextInt(5)) {
      case 0 ->
          "The "
              + pick(SERVICES)
              + " service "
              + pick(VERBS)
              + " "
              + pick(TECH)
              + " (ticket "
              + n
              + ").";
      case 1 ->
          "For "
              + pick(CONCERNS)
              + " in "
              + pick(SERVICES)
              + ", we "
              + pick(RULES)
              + " use "
              + pick(TECH)
              + ".";
      case 2 ->
          pick(PEOPLE)
              + " owns the "
              + pick(SERVICES)
              + " "
              + pick(CONCERNS)
              + " work, tracked as OPS-"
              + n
              + ".";
      case 3 ->
          "Bug "
              + n
              + ": "
              + pick(SERVICES)
              + " failed on "
              + pick(CONCERNS)
              + "; the fix was to tune "
              + pick(TECH)
              + ".";
      default ->
          "I prefer "
              + pick(TECH)
              + " over "
              + pick(TECH)
              + " for "
              + pick(CONCERNS)
              + " "
              + pick(RULES)
              + ".";
    };
  }

  String query() {
    return switch (rnd.nextInt(4)) {
      case 0 -> "what does the " + pick(SERVICES) + " service use for " + pick(CONCERNS) + "?";
      case 1 -> "who owns " + pick(CONCERNS) + " for " + pick(SERVICES);
      case 2 -> "how did we fix the " + pick(SERVICES) + " " + pick(CONCERNS) + " bug";
      default -> "which " + pick(TECH) + " setup do I prefer";
    };
  }
}
