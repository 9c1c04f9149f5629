package dev.omem.ui;

import dev.omem.testing.NodeRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code src/test/node/ui-browser.mjs}: the web UI in Debian's headless Chromium driven by
 * playwright-core, against the built jar (the daemon {@code omem ui} starts, and a team server):
 * sign-in by the one-time link and by API key, search by meaning with the trace, edit with history,
 * two pages editing one memory (the second refused with the current version), pin, forget and
 * restore, review, XSS content as text, CSRF/Origin/Host, import with progress and rollback, browse
 * filters by tier and date, stats charts and the hooks' injections, spaces with an invitation, a
 * role change, an auto-share rule and its shared copy, a member removed; axe-core's wcag2a/wcag2aa
 * rules on every page and state. Screenshots land in {@code target/ui-screenshots/}.
 */
class UiBrowserIT {
  /** A cap, not the expected time: under five minutes on the shared 2-core machine at load 35. */
  private static final long NODE_TEST_MINUTES = 10;

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @Test
  void theWebUiInARealBrowser() throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      String how =
          "Debian's chromium is not installed (apt-get install chromium): the UI browser test";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(how + " must run on CI");
      }
      Assumptions.abort(how + " is skipped");
    }
    NodeRunner.runTestScript(
        "ui-browser.mjs",
        "the web UI browser test",
        env -> {
          env.remove("OMEM_HOME");
          env.remove("OMEM_API_URL");
        },
        NODE_TEST_MINUTES);
  }
}
