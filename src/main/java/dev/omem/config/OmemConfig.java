package dev.omem.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.domain.SearchMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * omem's settings for one data directory. Precedence: command-line flag, then {@code OMEM_*}
 * environment variable, then {@code <home>/config.json}, then the default (DESIGN.md decision 4).
 *
 * @param home the data directory ({@code --home}, {@code OMEM_HOME}, default {@code ~/.omem}, where
 *     {@code ~} is {@link UserHome}: {@code $HOME} when set, as in the launchers)
 * @param model the embedding model id ({@code OMEM_MODEL} or {@code "model"} in config.json)
 * @param searchMode retrievers used by search ({@code OMEM_SEARCH_MODE}); hybrid unless running an
 *     ablation benchmark
 * @param database a PostgreSQL URL holding the store instead of {@code <home>/omem.db}, or null
 *     (SQLite). Only the team server sets it ({@code omem serve --database}, {@code
 *     OMEM_DATABASE_URL}); the home still holds the node's index, lock and logs.
 * @param env the environment these settings were read under, where the service's parts read their
 *     own {@code OMEM_*} settings (the process's own outside tests); never printed
 */
public record OmemConfig(
    Path home, String model, SearchMode searchMode, String database, Map<String, String> env) {
  private static final Logger LOG = LoggerFactory.getLogger(OmemConfig.class);

  public static final String DEFAULT_MODEL = "bge-small-en-v1.5-q";

  /** The default search mode: hybrid. */
  public OmemConfig(Path home, String model) {
    this(home, model, SearchMode.HYBRID);
  }

  /** The store in SQLite in {@code home}. */
  public OmemConfig(Path home, String model, SearchMode searchMode) {
    this(home, model, searchMode, null, System.getenv());
  }

  /** These settings with the store in the database at {@code url} (null: SQLite in the home). */
  public OmemConfig withDatabase(String url) {
    return new OmemConfig(home, model, searchMode, url, env);
  }

  /** The settings without the environment, whose values may be keys. */
  @Override
  public String toString() {
    return "OmemConfig[home="
        + home
        + ", model="
        + model
        + ", searchMode="
        + searchMode
        + ", database="
        + (database == null ? null : "set")
        + "]";
  }

  /** Resolves the settings; {@code homeFlag} is the {@code --home} value or null. */
  public static OmemConfig resolve(String homeFlag, Map<String, String> env) {
    Path home = homeFrom(homeFlag, env);
    JsonNode file = readConfigFile(home);
    String model = firstNonBlank(env.get("OMEM_MODEL"), text(file, "model"), DEFAULT_MODEL);
    String mode = firstNonBlank(env.get("OMEM_SEARCH_MODE"), text(file, "search_mode"), "hybrid");
    return new OmemConfig(home, model, SearchMode.parse(mode), null, env);
  }

  public static OmemConfig fromEnvironment(String homeFlag) {
    return resolve(homeFlag, System.getenv());
  }

  /**
   * A face's own setting, with the same precedence as the record's: the {@code OMEM_*} variable,
   * else {@code fileKey} in {@code <home>/config.json}; empty when neither sets it.
   */
  public static Optional<String> setting(
      Path home, Map<String, String> env, String variable, String fileKey) {
    return Optional.ofNullable(
        firstNonBlank(env.get(variable), text(readConfigFile(home), fileKey), null));
  }

  /**
   * A switch among named values ({@code OMEM_RERANK}, {@code OMEM_SAMPLING}), read as {@link
   * #setting}: {@code unset} when neither the variable nor config.json sets it; a value not among
   * {@code values} (matched trimmed, in lower case) or an unreadable config.json is logged and read
   * as {@code safe}: a typo must neither stop the server nor send data to a model against the
   * user's wish.
   */
  public static <T> T choice(
      Path home,
      Map<String, String> env,
      String variable,
      String fileKey,
      Map<String, T> values,
      T unset,
      T safe) {
    Optional<String> v;
    try {
      v = setting(home, env, variable, fileKey);
    } catch (RuntimeException e) {
      LOG.warn("{}: {}; read as {}", variable, e.getMessage(), safe);
      return safe;
    }
    if (v.isEmpty()) {
      return unset;
    }
    T t = values.get(v.get().trim().toLowerCase(Locale.ROOT));
    if (t == null) {
      LOG.warn(
          "{} is '{}', not one of {}; read as {}",
          variable,
          v.get().replace('\n', ' '),
          new TreeSet<>(values.keySet()),
          safe);
      return safe;
    }
    return t;
  }

  private static Path homeFrom(String flag, Map<String, String> env) {
    String h = firstNonBlank(flag, env.get("OMEM_HOME"), null);
    if (h == null) {
      return UserHome.of(env).resolve(".omem");
    }
    if (h.equals("~")) {
      return UserHome.of(env);
    }
    if (h.startsWith("~/")) {
      h = UserHome.of(env) + h.substring(1);
    }
    return Path.of(h).toAbsolutePath().normalize();
  }

  private static JsonNode readConfigFile(Path home) {
    Path f = home.resolve("config.json");
    if (!Files.isRegularFile(f)) {
      return null;
    }
    try {
      return new ObjectMapper().readTree(f.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode n, String field) {
    return n == null || !n.hasNonNull(field) ? null : n.get(field).asText();
  }

  private static String firstNonBlank(String a, String b, String c) {
    if (a != null && !a.isBlank()) {
      return a.trim();
    }
    if (b != null && !b.isBlank()) {
      return b.trim();
    }
    return c;
  }
}
