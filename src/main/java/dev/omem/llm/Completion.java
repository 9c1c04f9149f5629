package dev.omem.llm;

import com.fasterxml.jackson.databind.JsonNode;
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

    /**
     * The usage object {@code u} of a provider's answer, its counts named {@code input} and {@code
     * output}; null when either is missing (the budget then keeps its estimate).
     */
    static Usage read(JsonNode u, String input, String output) {
      return u.path(input).canConvertToLong() && u.path(output).canConvertToLong()
          ? new Usage(u.path(input).asLong(), u.path(output).asLong())
          : null;
    }
  }
}
