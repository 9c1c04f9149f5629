package dev.omem.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * This jar's version and build time (from {@code omem-build.properties}, filled in by Maven). The
 * build time orders two builds of one version, so a newer jar can replace an older daemon.
 *
 * @param built {@code yyyyMMddHHmmssSSS} in UTC, or {@code 0} when unknown
 */
public record BuildInfo(String version, String built) {
  private static final BuildInfo CURRENT = load();

  public static BuildInfo current() {
    return CURRENT;
  }

  /** Whether this build is newer than {@code other} (by build time; unknown is oldest). */
  public boolean newerThan(BuildInfo other) {
    return built.compareTo(other.built) > 0;
  }

  private static BuildInfo load() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("/omem-build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String version = p.getProperty("version", "dev");
    String built = p.getProperty("built", "0");
    return new BuildInfo(
        version.startsWith("${") ? "dev" : version, built.startsWith("${") ? "0" : built);
  }
}
