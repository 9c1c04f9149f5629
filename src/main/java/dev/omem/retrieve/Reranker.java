package dev.omem.retrieve;

import java.time.Duration;
import java.util.List;

/**
 * Decides which of a search's closest memories matter for its query, best first: an optional judge
 * on top of the LLM-free ranking (issue 13). The search that uses it does not know what answers
 * (the configured LLM, the MCP client's model) and keeps its own ranking whenever the judge gives
 * no usable answer.
 */
@FunctionalInterface
public interface Reranker {
  /**
   * The indices of the {@code texts} that matter for {@code query}, most useful first, within
   * {@code within}; or why there is no usable answer. Never throws for a failed judge.
   */
  Verdict rerank(String query, List<String> texts, Duration within);

  /**
   * A judge's answer.
   *
   * @param chosen indices into the texts, each at most once, best first; empty when none matters
   *     (and when the judge failed)
   * @param failure why there is no usable answer (a timeout, the budget, a malformed answer), or
   *     null when {@code chosen} is the answer; never quotes the prompt
   */
  record Verdict(List<Integer> chosen, String failure) {
    public Verdict {
      chosen = List.copyOf(chosen);
    }

    public static Verdict of(List<Integer> chosen) {
      return new Verdict(chosen, null);
    }

    public static Verdict failed(String why) {
      return new Verdict(List.of(), why);
    }

    public boolean ok() {
      return failure == null;
    }
  }
}
