package dev.omem.llm;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Which wire format omem speaks to an LLM. {@code openai} is any server of the OpenAI chat
 * completions API (OpenAI itself, and the OpenAI-compatible endpoints of Ollama, vLLM, LM Studio,
 * OpenRouter, …); {@code anthropic} is Anthropic's Messages API; {@code none} means no LLM, the
 * default (DESIGN.md decision 4).
 */
public enum LlmProvider {
  NONE(null),
  OPENAI(URI.create("https://api.openai.com/v1")),
  ANTHROPIC(URI.create("https://api.anthropic.com"));

  private final URI defaultBaseUrl;

  LlmProvider(URI defaultBaseUrl) {
    this.defaultBaseUrl = defaultBaseUrl;
  }

  /** The provider's public API, used when {@code OMEM_LLM_BASE_URL} is not set; null for none. */
  public URI defaultBaseUrl() {
    return defaultBaseUrl;
  }

  /** The lower-case name used in settings and messages. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a setting's value, case-insensitively; empty when it names no provider. */
  public static Optional<LlmProvider> parse(String s) {
    String t = s == null ? "" : s.trim().toUpperCase(Locale.ROOT);
    for (LlmProvider p : values()) {
      if (p.name().equals(t)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
