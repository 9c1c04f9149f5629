package dev.omem.mcp;

import dev.omem.config.OmemConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code OMEM_SAMPLING} ({@code sampling} in config.json): whether {@code memory_ingest} may ask a
 * client that offers MCP sampling to extract facts with its own model (docs/llm.md). On by default:
 * the client's model already sees the conversation, and the client may ask its user first. {@code
 * off} keeps every extraction in omem (the local rules, or omem's own configured LLM). A value that
 * is neither on nor off is logged and read as off: whoever set it meant to change the default, and
 * a typo must neither stop the server nor send conversations to a model against its wish.
 */
public final class SamplingSetting {
  public static final String VARIABLE = "OMEM_SAMPLING";
  static final String FILE_KEY = "sampling";

  private static final Map<String, Boolean> VALUES =
      Map.of(
          "on", true, "true", true, "yes", true, "1", true, "off", false, "false", false, "no",
          false, "0", false);

  private SamplingSetting() {}

  /** The setting of data dir {@code home} under {@code env}: on when unset, off when unreadable. */
  public static boolean enabled(Path home, Map<String, String> env) {
    return OmemConfig.choice(home, env, VARIABLE, FILE_KEY, VALUES, true, false);
  }
}
