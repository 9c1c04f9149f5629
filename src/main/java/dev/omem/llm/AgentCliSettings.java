package dev.omem.llm;

import dev.omem.config.OmemConfig;
import dev.omem.domain.OmemException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The agent-CLI extractor (issue 14): smart ingest asks the coding agent's own CLI ({@code claude
 * -p}), which the user is already signed in to, instead of an API key of omem's own. Off by
 * default: every extraction spends the user's quota. Read like {@link LlmSettings}: an {@code
 * OMEM_*} variable, else the matching key of {@code <home>/config.json} ({@code omem install
 * claude-code --agent-extractor} writes {@code "extractor": "agent-cli"} there).
 *
 * <pre>
 * variable                        config.json key          default
 * OMEM_EXTRACTOR                  extractor                learned (learned | agent-cli)
 * OMEM_AGENT_CLI                  agent_cli                claude (a command; words split on spaces)
 * OMEM_AGENT_CLI_MODEL            agent_cli_model          haiku ("default": the CLI's own choice)
 * OMEM_AGENT_CLI_TIMEOUT_MS       agent_cli_timeout_ms     120000
 * OMEM_LLM_MAX_TOKENS_PER_HOUR    llm_max_tokens_per_hour  200000 (the one token budget)
 * </pre>
 *
 * @param command the CLI and any fixed arguments of the user's, e.g. {@code [claude]}; empty when
 *     the extractor is off
 * @param model the {@code --model} to ask for, null for the CLI's default
 * @param timeout how long one run may take before it is killed
 * @param maxTokensPerHour the cost cap shared with the LLM settings ({@link TokenBudget})
 */
public record AgentCliSettings(
    List<String> command, String model, Duration timeout, long maxTokensPerHour) {

  public static final String EXTRACTOR_VARIABLE = "OMEM_EXTRACTOR";

  /** The key of {@link #EXTRACTOR_VARIABLE} in config.json. */
  public static final String EXTRACTOR_KEY = "extractor";

  public static final String COMMAND_VARIABLE = "OMEM_AGENT_CLI";
  public static final String MODEL_VARIABLE = "OMEM_AGENT_CLI_MODEL";
  public static final String TIMEOUT_VARIABLE = "OMEM_AGENT_CLI_TIMEOUT_MS";

  /** The value of {@link #EXTRACTOR_VARIABLE} that turns this extractor on. */
  public static final String AGENT_CLI = "agent-cli";

  /** The default, the shipped classifier (no model call). */
  public static final String LEARNED = "learned";

  public static final String DEFAULT_COMMAND = "claude";

  /**
   * Haiku, the CLI's alias of its smallest model: extraction is a short, structured task, and the
   * CLI's own default (observed with 2.1.197: an Opus model at high effort) would spend many times
   * the quota on it. {@code default} leaves the choice to the CLI.
   */
  public static final String DEFAULT_MODEL = "haiku";

  /**
   * Two minutes. A {@code claude -p} run starts a Node process (1–3 s measured here with the
   * stand-in model, BENCHMARKS.md) and then waits for the model's answer of up to 1,024 tokens
   * (10–20 s at published throughput of small models, as {@link LlmSettings#DEFAULT_TIMEOUT}); a
   * signed-in CLI may also refresh its login first. It runs on the ingest worker's thread, never a
   * hook's, so a slow run delays only later captures; past this the learned extractor takes over.
   */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

  public AgentCliSettings {
    command = List.copyOf(command);
    if (!command.isEmpty()) {
      if (timeout == null || timeout.isZero() || timeout.isNegative()) {
        throw OmemException.invalid("the agent CLI's timeout must be positive, got " + timeout);
      }
      if (maxTokensPerHour <= 0) {
        throw OmemException.invalid("the token budget must be positive, got " + maxTokensPerHour);
      }
    }
  }

  /** Off: extraction stays with the learned extractor (or a configured LLM). */
  public static AgentCliSettings off() {
    return new AgentCliSettings(List.of(), null, null, 0);
  }

  public boolean enabled() {
    return !command.isEmpty();
  }

  /**
   * The settings of data directory {@code home} under {@code env}: {@link #off()} unless {@code
   * OMEM_EXTRACTOR} is {@code agent-cli}; an {@link OmemException#invalid} naming the variable when
   * a value is wrong.
   */
  public static AgentCliSettings resolve(Path home, Map<String, String> env) {
    String extractor =
        read(home, env, EXTRACTOR_VARIABLE).map(s -> s.strip().toLowerCase(Locale.ROOT)).orElse("");
    if (extractor.isEmpty() || extractor.equals(LEARNED)) {
      return off();
    }
    if (!extractor.equals(AGENT_CLI)) {
      throw invalid(
          EXTRACTOR_VARIABLE,
          "must be " + LEARNED + " or " + AGENT_CLI + ", got '" + extractor + "'");
    }
    List<String> command =
        List.of(read(home, env, COMMAND_VARIABLE).orElse(DEFAULT_COMMAND).strip().split("\\s+"));
    if (command.get(0).isEmpty()) {
      throw invalid(COMMAND_VARIABLE, "must name a command, e.g. " + DEFAULT_COMMAND);
    }
    String model = read(home, env, MODEL_VARIABLE).map(String::strip).orElse(DEFAULT_MODEL);
    if (model.equalsIgnoreCase("default")) {
      model = null;
    }
    if (model != null && (model.startsWith("-") || !model.chars().allMatch(c -> c > 0x20))) {
      throw invalid(MODEL_VARIABLE, "must be a model name such as haiku, got '" + model + "'");
    }
    Duration timeout =
        read(home, env, TIMEOUT_VARIABLE)
            .map(v -> Duration.ofMillis(positive(TIMEOUT_VARIABLE, v)))
            .orElse(DEFAULT_TIMEOUT);
    long budget =
        read(home, env, LlmSettings.BUDGET_VARIABLE)
            .map(v -> positive(LlmSettings.BUDGET_VARIABLE, v))
            .orElse(LlmSettings.DEFAULT_MAX_TOKENS_PER_HOUR);
    return new AgentCliSettings(command, model, timeout, budget);
  }

  private static Optional<String> read(Path home, Map<String, String> env, String variable) {
    return OmemConfig.setting(home, env, variable, LlmSettings.fileKey(variable));
  }

  private static OmemException invalid(String variable, String problem) {
    return OmemException.invalid(
        variable + " (" + LlmSettings.fileKey(variable) + " in config.json) " + problem);
  }

  private static long positive(String variable, String value) {
    long n;
    try {
      n = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n <= 0) {
      throw invalid(variable, "must be a positive whole number, got '" + value + "'");
    }
    return n;
  }
}
