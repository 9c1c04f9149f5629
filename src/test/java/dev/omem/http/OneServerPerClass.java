package dev.omem.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** One real server on a fresh store for all the tests of a class (they make their own tenants). */
abstract class OneServerPerClass {
  @TempDir static Path home;
  static HttpFixture http;

  @BeforeAll
  static void start() throws Exception {
    http = HttpFixture.start(home);
  }

  @AfterAll
  static void stop() {
    http.close();
  }

  /** What the import spool holds now: nothing once every import ended. */
  static List<String> spooled() throws IOException {
    Path dir = home.resolve("cache").resolve("import-spool");
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (var files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).toList();
    }
  }
}
