package dev.omem.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * {@code OMEM_RERANK} ({@code rerank} in config.json): whether a search's closest memories are
 * shown to a language model that decides which of them matter (issue 13). {@code off}, the default:
 * no model is asked (DESIGN.md decision 4). {@code llm}: the LLM of the {@code OMEM_LLM_*}
 * settings, inside their token budget, for every search and the UserPromptSubmit hook. {@code
 * sampling}: the connected MCP client's own model, for {@code memory_search} calls of a client that
 * offers sampling (a hook has no MCP session, so it stays LLM-free). Any other value is logged and
 * read as off: a typo must not send memories to a model.
 */
public final class RerankSetting {
  public static final String VARIABLE = "OMEM_RERANK";
  static final String FILE_KEY = "rerank";

  /** Who reranks. */
  public enum Mode {
    OFF,
    LLM,
    SAMPLING;

    /** The setting's value, as written. */
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Map<String, Mode> VALUES =
      Map.of(
          Mode.OFF.wire(),
          Mode.OFF,
          Mode.LLM.wire(),
          Mode.LLM,
          Mode.SAMPLING.wire(),
          Mode.SAMPLING);

  private RerankSetting() {}

  /** The setting of data dir {@code home} under {@code env}: off when unset or unreadable. */
  public static Mode resolve(Path home, Map<String, String> env) {
    return OmemConfig.choice(home, env, VARIABLE, FILE_KEY, VALUES, Mode.OFF, Mode.OFF);
  }
}
