package dev.omem.llm;

import java.util.Objects;

/**
 * A provider's answer: the text, and the tokens the provider says the call used, which the {@link
 * TokenBudget} counts.
 *
 * @param usage null when the provider reported none (some OpenAI-compatible servers omit it); the
 *     budget then keeps its estimate
 */
public record Completion(String text, Usage usage) {
  public Completion {
    Objects.requireNonNull(text, "text");
  }

  /** Tokens of the prompt ({@code prompt_tokens}, {@code input_tokens}) and of the answer. */
  public record Usage(long inputTokens, long outputTokens) {
    public long total() {
      return inputTokens + outputTokens;
    }
  }
}
