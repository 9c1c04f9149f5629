package dev.omem.e2e;

import dev.omem.testing.NodeRunner;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code src/test/node/mcp-change-of-mind-e2e.mjs}: through the official MCP TypeScript SDK
 * client, a preference and a later change of mind in a new ingest (smart, no LLM); then search, the
 * profile and the SessionStart hook show only the new one, marked unconfirmed in the hook's text.
 */
class ChangeOfMindEndToEndIT {
  private static final long NODE_TEST_MINUTES = 5;

  @Test
  void aChangedMindReplacesTheOldPreferenceEverywhere() throws Exception {
    NodeRunner.runTestScript(
        "mcp-change-of-mind-e2e.mjs",
        "the change-of-mind end-to-end test",
        env -> env.keySet().removeIf(k -> k.startsWith("OMEM_") && !k.equals("OMEM_JAR")),
        NODE_TEST_MINUTES);
  }
}
