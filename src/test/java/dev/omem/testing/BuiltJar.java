package dev.omem.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code omem.jar} that integration tests run: maven-failsafe names it in {@code omem.jar}. */
public final class BuiltJar {
  private BuiltJar() {}

  /** Its absolute path; fails the test with the fix when it is not set or not built. */
  public static Path path() {
    String property = System.getProperty("omem.jar");
    assertTrue(
        property != null && !property.isBlank(),
        "system property omem.jar is not set (maven-failsafe sets it to target/omem.jar)");
    Path jar = Path.of(property).toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), "omem jar not found at " + jar + ": run mvn package");
    return jar;
  }
}
