package dev.omem.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The user's home directory: {@code $HOME} when set (what the launchers, Node and every shell use;
 * tests and sandboxes set it), else the JVM's {@code user.home} (which on Linux comes from the
 * password database and ignores {@code $HOME}). On Windows, {@code user.home}.
 */
public final class UserHome {
  private UserHome() {}

  public static Path of(Map<String, String> env) {
    String home = env.get("HOME");
    boolean windows =
        System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    if (!windows && home != null && !home.isBlank() && Path.of(home).isAbsolute()) {
      return Path.of(home);
    }
    return Path.of(System.getProperty("user.home"));
  }

  public static Path of() {
    return of(System.getenv());
  }
}
