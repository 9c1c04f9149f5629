package dev.omem.llm;

import dev.omem.config.OmemConfig;
import dev.omem.domain.OmemException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The LLM omem may call, read only from omem's own settings: an {@code OMEM_LLM_*} variable, else
 * the matching key of {@code <home>/config.json}. {@code ANTHROPIC_API_KEY} and {@code
 * OPENAI_API_KEY} are never read: an LLM costs money, so it runs only when omem's configuration
 * names one (DESIGN.md decision 4).
 *
 * <pre>
 * variable                       config.json key            default
 * OMEM_LLM_PROVIDER              llm_provider               none (openai | anthropic | none)
 * OMEM_LLM_API_KEY               llm_api_key                (required for the public APIs)
 * OMEM_LLM_BASE_URL              llm_base_url               https://api.openai.com/v1,
 *                                                           https://api.anthropic.com
 * OMEM_LLM_MODEL                 llm_model                  (required with a provider)
 * OMEM_LLM_TIMEOUT_MS            llm_timeout_ms             20000
 * OMEM_LLM_MAX_TOKENS_PER_HOUR   llm_max_tokens_per_hour    200000
 * </pre>
 *
 * @param provider the wire format, {@link LlmProvider#NONE} for no LLM (then every other field is
 *     null or zero)
 * @param apiKey the provider's key; null only for an OpenAI-compatible server at a base URL of the
 *     user's own (Ollama, vLLM and LM Studio need none). Never printed ({@link #toString()})
 * @param baseUrl where the API is, without a trailing slash: {@code /chat/completions} (openai) or
 *     {@code /v1/messages} (anthropic) is appended
 * @param model the model name the provider knows, e.g. {@code gpt-4o-mini}
 * @param timeout how long one call may take, from connecting to the answer's last byte
 * @param maxTokensPerHour the cost cap: tokens (prompt and answer) that calls of the last hour may
 *     use together; see {@link TokenBudget}
 */
public record LlmSettings(
    LlmProvider provider,
    String apiKey,
    URI baseUrl,
    String model,
    Duration timeout,
    long maxTokensPerHour) {

  public static final String PROVIDER_VARIABLE = "OMEM_LLM_PROVIDER";
  public static final String KEY_VARIABLE = "OMEM_LLM_API_KEY";
  public static final String BASE_URL_VARIABLE = "OMEM_LLM_BASE_URL";
  public static final String MODEL_VARIABLE = "OMEM_LLM_MODEL";
  public static final String TIMEOUT_VARIABLE = "OMEM_LLM_TIMEOUT_MS";
  public static final String BUDGET_VARIABLE = "OMEM_LLM_MAX_TOKENS_PER_HOUR";

  /**
   * Twenty seconds. An extraction answer is at most {@code LlmExtractor}'s answer limit (1024
   * tokens); small hosted models write 50–100 tokens a second, so a full answer takes 10–20 s.
   * Extraction runs on a background thread (hooks never wait for it), so a slow answer costs
   * nothing but a slot; a dead server is abandoned after this and the rules take over. An estimate
   * from published throughput, not a measurement.
   */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

  /**
   * 200,000 tokens an hour. One capture of a coding session (a user prompt and the assistant's
   * answer, ~1,000 tokens, plus the ~700-token extraction prompt and its answer) costs ~2,000
   * tokens, and reconciling its one or two facts ~800 tokens each: ~3,500 tokens. An agent that
   * answers every one or two minutes makes 30–60 captures an hour, 100,000–200,000 tokens: the cap
   * lets one busy session run fully on the LLM and hands the rest (several agents at once, a large
   * import) to the local rules. At list prices when this was written it bounds the spend to about
   * $0.05 an hour with gpt-4o-mini ($0.15/$0.60 per million tokens in/out) and about $0.30 an hour
   * with claude-haiku-4-5 ($1/$5). Estimates from token counts of the prompts, not measurements.
   */
  public static final long DEFAULT_MAX_TOKENS_PER_HOUR = 200_000;

  public LlmSettings {
    Objects.requireNonNull(provider, "provider");
    if (provider != LlmProvider.NONE) {
      Objects.requireNonNull(baseUrl, "baseUrl");
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isZero() || timeout.isNegative()) {
        throw OmemException.invalid("the LLM timeout must be positive, got " + timeout);
      }
      if (maxTokensPerHour <= 0) {
        throw OmemException.invalid(
            "the LLM token budget must be positive, got " + maxTokensPerHour);
      }
    }
  }

  /** No LLM: extraction and reconciliation use the local rules. */
  public static LlmSettings none() {
    return new LlmSettings(LlmProvider.NONE, null, null, null, null, 0);
  }

  /** True when a provider is configured. */
  public boolean enabled() {
    return provider != LlmProvider.NONE;
  }

  /**
   * The settings of the data directory {@code home} under {@code env}. {@link #none()} when no
   * provider is set (or it is {@code none}); an {@link OmemException#invalid} naming the variable
   * when a value is wrong or missing.
   */
  public static LlmSettings resolve(Path home, Map<String, String> env) {
    Optional<String> providerName = read(home, env, PROVIDER_VARIABLE);
    if (providerName.isEmpty()) {
      return none();
    }
    LlmProvider provider =
        LlmProvider.parse(providerName.get())
            .orElseThrow(
                () ->
                    invalid(
                        PROVIDER_VARIABLE,
                        "must be openai, anthropic or none, got '" + providerName.get() + "'"));
    if (provider == LlmProvider.NONE) {
      return none();
    }
    String model =
        read(home, env, MODEL_VARIABLE)
            .orElseThrow(
                () ->
                    invalid(
                        MODEL_VARIABLE,
                        "is required when "
                            + PROVIDER_VARIABLE
                            + " is "
                            + provider.wire()
                            + " (e.g. "
                            + (provider == LlmProvider.OPENAI ? "gpt-4o-mini" : "claude-haiku-4-5")
                            + ")"));
    URI baseUrl =
        read(home, env, BASE_URL_VARIABLE)
            .map(LlmSettings::baseUrl)
            .orElse(provider.defaultBaseUrl());
    String key = read(home, env, KEY_VARIABLE).orElse(null);
    if (key != null && !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      // It travels in a header: okhttp would refuse it later, with a message naming the value.
      throw invalid(KEY_VARIABLE, "must be printable ASCII without spaces");
    }
    if (key == null && (provider == LlmProvider.ANTHROPIC || isDefault(provider, baseUrl))) {
      throw invalid(
          KEY_VARIABLE,
          "is required when " + PROVIDER_VARIABLE + " is " + provider.wire() + " at " + baseUrl);
    }
    Duration timeout =
        read(home, env, TIMEOUT_VARIABLE)
            .map(v -> Duration.ofMillis(positive(TIMEOUT_VARIABLE, v, "number of milliseconds")))
            .orElse(DEFAULT_TIMEOUT);
    long budget =
        read(home, env, BUDGET_VARIABLE)
            .map(v -> positive(BUDGET_VARIABLE, v, "whole number of tokens"))
            .orElse(DEFAULT_MAX_TOKENS_PER_HOUR);
    return new LlmSettings(provider, key, baseUrl, model, timeout, budget);
  }

  private static boolean isDefault(LlmProvider provider, URI baseUrl) {
    return baseUrl.equals(provider.defaultBaseUrl());
  }

  private static Optional<String> read(Path home, Map<String, String> env, String variable) {
    return OmemConfig.setting(home, env, variable, fileKey(variable));
  }

  /** {@code OMEM_LLM_MODEL} → {@code llm_model}. */
  static String fileKey(String variable) {
    return variable.substring("OMEM_".length()).toLowerCase(Locale.ROOT);
  }

  private static OmemException invalid(String variable, String problem) {
    return OmemException.invalid(
        variable + " (" + fileKey(variable) + " in config.json) " + problem);
  }

  private static long positive(String variable, String value, String what) {
    long n;
    try {
      n = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n <= 0) {
      throw invalid(variable, "must be a positive " + what + ", got '" + value + "'");
    }
    return n;
  }

  private static URI baseUrl(String value) {
    URI url;
    try {
      url = new URI(value.trim());
    } catch (URISyntaxException e) {
      throw invalid(BASE_URL_VARIABLE, "must be an http:// or https:// URL, got '" + value + "'");
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
      throw invalid(
          BASE_URL_VARIABLE, "must be an http:// or https:// URL with a host, got '" + value + "'");
    }
    if (url.getRawQuery() != null || url.getRawFragment() != null) {
      throw invalid(
          BASE_URL_VARIABLE, "must be a base URL without ?query or #fragment, got '" + value + "'");
    }
    String s = url.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return URI.create(s);
  }

  /** Without the key: settings end up in logs and error messages. */
  @Override
  public String toString() {
    if (!enabled()) {
      return "LlmSettings[provider=none]";
    }
    return "LlmSettings[provider="
        + provider.wire()
        + ", apiKey="
        + (apiKey == null ? "none" : "***")
        + ", baseUrl="
        + baseUrl
        + ", model="
        + model
        + ", timeout="
        + timeout
        + ", maxTokensPerHour="
        + maxTokensPerHour
        + "]";
  }
}
