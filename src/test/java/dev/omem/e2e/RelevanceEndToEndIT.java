package dev.omem.e2e;

import dev.omem.testing.NodeRunner;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code src/test/node/mcp-relevance-e2e.mjs}: through the official MCP TypeScript SDK client,
 * {@code memory_search}'s default relevance floor answers an unrelated query with no results and
 * its reason, {@code min_score 0} turns the floor off, and a related query finds its memory first;
 * in-process and through the local daemon.
 */
class RelevanceEndToEndIT {
  private static final long NODE_TEST_MINUTES = 5;

  @Test
  void theDefaultFloorAbstainsOnUnrelatedQueriesAndFindsRelatedOnes() throws Exception {
    NodeRunner.runTestScript(
        "mcp-relevance-e2e.mjs",
        "the relevance end-to-end test",
        env -> env.keySet().removeIf(k -> k.startsWith("OMEM_") && !k.equals("OMEM_JAR")),
        NODE_TEST_MINUTES);
  }
}
