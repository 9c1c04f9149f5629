package dev.omem.llm;

import dev.omem.domain.ChatModel;
import java.time.Clock;
import java.util.Optional;

/** The {@link ChatModel} that omem's LLM settings name, inside their cost cap. */
public final class ChatModels {
  private ChatModels() {}

  /** The configured model, or empty when no provider is set (then the local rules do the work). */
  public static Optional<ChatModel> from(LlmSettings settings) {
    return from(settings, Clock.systemUTC());
  }

  /** As {@link #from(LlmSettings)}, with the budget's time from {@code clock}. */
  public static Optional<ChatModel> from(LlmSettings settings, Clock clock) {
    MeteredChatModel provider =
        switch (settings.provider()) {
          case NONE -> null;
          case OPENAI -> new OpenAiChatModel(settings);
          case ANTHROPIC -> new AnthropicChatModel(settings);
        };
    if (provider == null) {
      return Optional.empty();
    }
    return Optional.of(
        new BudgetedChatModel(provider, new TokenBudget(settings.maxTokensPerHour(), clock)));
  }
}
