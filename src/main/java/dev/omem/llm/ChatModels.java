package dev.omem.llm;

import dev.omem.domain.ChatModel;
import java.time.Clock;
import java.time.Duration;
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
    MeteredChatModel provider = provider(settings);
    if (provider == null) {
      return Optional.empty();
    }
    return Optional.of(
        new BudgetedChatModel(provider, new TokenBudget(settings.maxTokensPerHour(), clock)));
  }

  private static MeteredChatModel provider(LlmSettings settings) {
    return switch (settings.provider()) {
      case NONE -> null;
      case OPENAI -> new OpenAiChatModel(settings);
      case ANTHROPIC -> new AnthropicChatModel(settings);
    };
  }

  /**
   * The configured model for reranking a search ({@code OMEM_RERANK=llm}): the same provider inside
   * the same {@link TokenBudget} as {@code configured} (one cost cap for everything omem asks), but
   * each call given up after {@code timeout} when that is shorter than the settings' own: a search
   * waits seconds, not the twenty an extraction may take. Empty when no LLM is configured.
   */
  public static Optional<ChatModel> forRerank(
      LlmSettings settings, Optional<ChatModel> configured, Duration timeout) {
    if (configured.isEmpty() || !(configured.get() instanceof BudgetedChatModel budgeted)) {
      return Optional.empty();
    }
    LlmSettings quick =
        timeout.compareTo(settings.timeout()) >= 0
            ? settings
            : new LlmSettings(
                settings.provider(),
                settings.apiKey(),
                settings.baseUrl(),
                settings.model(),
                timeout,
                settings.maxTokensPerHour());
    return Optional.of(new BudgetedChatModel(provider(quick), budgeted.budget()));
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
