package dev.omem.hooks;

import dev.omem.config.OmemConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How much the hooks may inject. The daemon reads it when it starts, so every client of one data
 * dir gets the same (DESIGN.md decision 4).
 *
 * @param budgetTokens the most a SessionStart injection may take ({@code OMEM_HOOK_BUDGET_TOKENS},
 *     or {@code hook_budget_tokens} in config.json; default {@value #DEFAULT_BUDGET_TOKENS}); a
 *     UserPromptSubmit injection gets a third of it
 */
public record HookSettings(int budgetTokens) {
  private static final Logger LOG = LoggerFactory.getLogger(HookSettings.class);

  /** About 1,500 tokens: the default, a few KB that clients show uncut. */
  public static final int DEFAULT_BUDGET_TOKENS = 1_500;

  /** Budgets are counted in characters at about four per token (English text, bge/Claude alike). */
  public static final int CHARS_PER_TOKEN = 4;

  /** Below this not even the block's framing fits; above it Claude Code cuts the context. */
  static final int MIN_BUDGET_TOKENS = 200;

  static final int MAX_BUDGET_TOKENS = 20_000;

  public static HookSettings defaults() {
    return new HookSettings(DEFAULT_BUDGET_TOKENS);
  }

  /**
   * The settings of a data dir. A bad value is logged and replaced by the default: a typo in a
   * setting must not stop the daemon every agent depends on.
   */
  public static HookSettings resolve(Path home, Map<String, String> env) {
    Optional<String> v;
    try {
      v = OmemConfig.setting(home, env, "OMEM_HOOK_BUDGET_TOKENS", "hook_budget_tokens");
    } catch (RuntimeException e) {
      LOG.warn("hook settings: {}; using the defaults", e.getMessage());
      return defaults();
    }
    if (v.isEmpty()) {
      return defaults();
    }
    try {
      int n = Integer.parseInt(v.get().trim());
      if (n >= MIN_BUDGET_TOKENS && n <= MAX_BUDGET_TOKENS) {
        return new HookSettings(n);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    LOG.warn(
        "hook budget '{}' is not a whole number of tokens from {} to {}; using {}",
        v.get(),
        MIN_BUDGET_TOKENS,
        MAX_BUDGET_TOKENS,
        DEFAULT_BUDGET_TOKENS);
    return defaults();
  }

  /** The SessionStart budget in characters. */
  public int budgetChars() {
    return budgetTokens * CHARS_PER_TOKEN;
  }

  /** The UserPromptSubmit budget in characters: a prompt's injection stays small. */
  public int promptBudgetChars() {
    return budgetChars() / 3;
  }
}
