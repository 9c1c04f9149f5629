package dev.omem.llm;

import dev.omem.domain.ChatModel;
import java.time.Clock;
import java.util.Map;
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

  /**
   * The model smart ingest extracts with: the agent's CLI when {@code agentCli} is on (the user
   * chose it for extraction), else the configured LLM, else none (the learned extractor). Each
   * model has its own budget; the agent CLI's caps what a busy day of captures can take of the
   * user's quota.
   */
  public static Optional<ChatModel> forExtraction(
      AgentCliSettings agentCli, Optional<ChatModel> llm, Map<String, String> env, Clock clock) {
    if (!agentCli.enabled()) {
      return llm;
    }
    return Optional.of(
        new BudgetedChatModel(
            new AgentCliChatModel(agentCli, env),
            new TokenBudget(agentCli.maxTokensPerHour(), clock)));
  }
}
