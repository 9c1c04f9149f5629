package dev.omem.llm;

import dev.omem.domain.ChatModel;

/**
 * A {@link ChatModel} that also says how many tokens each answer cost, so that a {@link
 * TokenBudget} can count what the provider bills rather than a guess.
 */
public interface MeteredChatModel extends ChatModel {
  /** The answer and its usage; throws a {@link LlmException} when there is no answer. */
  Completion call(String system, String user, int maxTokens);

  @Override
  default String complete(String system, String user, int maxTokens) {
    return call(system, user, maxTokens).text();
  }
}
