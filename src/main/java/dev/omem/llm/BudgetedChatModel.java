package dev.omem.llm;

import dev.omem.domain.ChatModel;

/**
 * A provider's model inside the {@link TokenBudget}: each call is charged an estimate first (and
 * refused when it does not fit), then the usage the provider reports. A failed call keeps its
 * estimate: a provider may bill a request that timed out on our side.
 */
public final class BudgetedChatModel implements ChatModel {
  /**
   * Characters per token of the estimate: OpenAI's and Anthropic's rule of thumb for English text
   * ("about 4 characters"). Prompts with code or JSON have fewer characters per token; the estimate
   * only decides whether a call may start and is replaced by the real count afterwards.
   */
  static final int CHARS_PER_TOKEN = 4;

  private final MeteredChatModel model;
  private final TokenBudget budget;

  public BudgetedChatModel(MeteredChatModel model, TokenBudget budget) {
    this.model = model;
    this.budget = budget;
  }

  /**
   * The prompt's characters / {@link #CHARS_PER_TOKEN} plus the whole answer allowance: the most
   * the call can cost, so that a call that starts never takes the budget far past the cap.
   */
  static long estimate(String system, String user, int maxTokens) {
    return (system.length() + user.length()) / CHARS_PER_TOKEN + (long) maxTokens;
  }

  @Override
  public String complete(String system, String user, int maxTokens) {
    TokenBudget.Charge charge = budget.charge(estimate(system, user, maxTokens));
    Completion c = model.call(system, user, maxTokens);
    if (c.usage() != null) {
      charge.settle(c.usage().total());
    }
    return c.text();
  }

  public TokenBudget budget() {
    return budget;
  }
}
