package dev.omem.ingest;

import dev.omem.domain.Category;
import java.util.List;

/**
 * Turns a conversation into short, durable facts worth remembering. One interface so that the local
 * rules (the default, no network), an LLM and MCP sampling can stand in for each other.
 */
public interface FactExtractor {
  /** One conversation turn: {@code role} is "user", "assistant", "system" or "tool". */
  record Turn(String role, String content) {}

  /**
   * One extracted fact: the text to store, its category, tags, importance and the extractor's
   * confidence that it is a real, durable fact (both in [0, 1]); its {@code kind} (preference,
   * convention, decision, project_fact, correction; null when the extractor does not say) and
   * {@code scope} ("global" or "project"; null: by category, see ScopeRules).
   */
  record Fact(
      String text,
      Category category,
      List<String> tags,
      double importance,
      double confidence,
      String kind,
      String scope) {
    public Fact {
      tags = List.copyOf(tags);
    }

    /** A fact without a kind, scoped by its category. */
    public Fact(
        String text, Category category, List<String> tags, double importance, double confidence) {
      this(text, category, tags, importance, confidence, null, null);
    }
  }

  /** The facts of these turns, in the order they were stated, without exact repeats. */
  List<Fact> extract(List<Turn> turns);
}
