package dev.omem.mcp;

import dev.omem.config.OmemConfig;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code OMEM_SAMPLING} ({@code sampling} in config.json): whether {@code memory_ingest} may ask a
 * client that offers MCP sampling to extract facts with its own model (docs/llm.md). On by default:
 * the client's model already sees the conversation, and the client may ask its user first. {@code
 * off} keeps every extraction in omem (the local rules, or omem's own configured LLM). A value that
 * is neither on nor off is logged and read as off: whoever set it meant to change the default, and
 * a typo must neither stop the server nor send conversations to a model against its wish.
 */
public final class SamplingSetting {
  private static final Logger LOG = LoggerFactory.getLogger(SamplingSetting.class);

  public static final String VARIABLE = "OMEM_SAMPLING";
  static final String FILE_KEY = "sampling";

  private SamplingSetting() {}

  /** The setting of data dir {@code home} under {@code env}. */
  public static boolean enabled(Path home, Map<String, String> env) {
    Optional<String> v;
    try {
      v = OmemConfig.setting(home, env, VARIABLE, FILE_KEY);
    } catch (RuntimeException e) {
      LOG.warn("{}: {}; sampling stays off", VARIABLE, e.getMessage());
      return false;
    }
    return v.isEmpty() || parse(v.get());
  }

  static boolean parse(String value) {
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "on", "true", "yes", "1":
        return true;
      case "off", "false", "no", "0":
        return false;
      default:
        LOG.warn(
            "{} is '{}', neither on nor off; sampling stays off",
            VARIABLE,
            value.replace('\n', ' '));
        return false;
    }
  }
}
