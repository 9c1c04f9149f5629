package dev.omem.install;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where {@code omem install} puts things and what it writes into clients' configurations.
 *
 * <p>The data dir gets the plugin's layout, so the launcher and the hook script find each other and
 * the jar as they do in the Claude Code plugin: {@code <data dir>/lib/omem.jar}, {@code <data
 * dir>/bin/omem} (the launcher), {@code <data dir>/hooks/omem-hook}.
 *
 * @param userHome the user's home ({@code $HOME}), under which clients keep their configuration
 * @param dataHome omem's data dir
 * @param defaultDataHome whether {@code dataHome} is the default ({@code ~/.omem}); if not, every
 *     configuration written names it in {@code OMEM_HOME}
 * @param env the environment (for {@code CLAUDE_CONFIG_DIR}, {@code CODEX_HOME}, {@code APPDATA},
 *     {@code XDG_CONFIG_HOME})
 * @param os the operating system, which decides some paths and how omem is started
 * @param resources the files omem.jar carries for installing (the launcher, the hook script and the
 *     plugin's hooks.json; {@link Artifacts#resource} in omem, others in tests)
 */
public record InstallContext(
    Path userHome,
    Path dataHome,
    boolean defaultDataHome,
    Map<String, String> env,
    Os os,
    Resources resources) {

  /** Looks up a file omem.jar carries, by resource name. */
  @FunctionalInterface
  public interface Resources {
    Optional<byte[]> get(String name);
  }

  /** The context of this process: {@code $HOME}, this jar's resources, this OS. */
  public static InstallContext of(Path dataHome, Map<String, String> env) {
    Path userHome = dev.omem.config.UserHome.of(env);
    return new InstallContext(
        userHome,
        dataHome,
        dataHome.equals(userHome.resolve(".omem")),
        env,
        Os.current(),
        Artifacts::resource);
  }

  /** The operating systems whose configuration paths differ. */
  public enum Os {
    LINUX,
    MAC,
    WINDOWS;

    public static Os current() {
      String name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
      if (name.startsWith("windows")) {
        return WINDOWS;
      }
      return name.startsWith("mac") || name.contains("darwin") ? MAC : LINUX;
    }
  }

  public Path installedJar() {
    return dataHome.resolve("lib").resolve("omem.jar");
  }

  public Path launcher() {
    return dataHome.resolve("bin").resolve("omem");
  }

  public Path hookScript() {
    return dataHome.resolve("hooks").resolve("omem-hook");
  }

  /** An environment variable when it is set and not blank. */
  Optional<String> variable(String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  /**
   * How a client starts the MCP server: the installed launcher (it finds Java and the jar, and uses
   * the daemon's start-up archive); on Windows, which has no bash, {@code java -jar} directly.
   */
  public List<String> mcpCommand() {
    List<String> cmd = new ArrayList<>();
    if (os == Os.WINDOWS) {
      cmd.add("java");
      cmd.add("-jar");
      cmd.add(installedJar().toString());
    } else {
      cmd.add(launcher().toString());
    }
    cmd.add("mcp");
    return cmd;
  }

  /** The environment a client gives the server: {@code OMEM_HOME} when it is not the default. */
  public Map<String, String> serverEnv() {
    Map<String, String> e = new LinkedHashMap<>();
    if (!defaultDataHome) {
      e.put("OMEM_HOME", dataHome.toString());
    }
    return e;
  }
}
