package dev.omem.http;

import java.nio.file.Path;
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
}
