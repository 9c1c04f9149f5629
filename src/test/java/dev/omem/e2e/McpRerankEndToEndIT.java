package dev.omem.e2e;

import dev.omem.testing.NodeRunner;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code src/test/node/mcp-rerank-e2e.mjs}: the official MCP TypeScript SDK client, with the
 * {@code sampling} capability and a scripted model, drives {@code omem mcp} with {@code
 * OMEM_RERANK=sampling}; {@code memory_search} returns what the client's model chose, never shows
 * it a secret or a flagged memory, and returns the LLM-free results whole when the model answers
 * garbage or refuses. Both with the store in the stdio process and through the local daemon.
 */
class McpRerankEndToEndIT {
  private static final long NODE_TEST_MINUTES = 6;

  @Test
  void memorySearchRerankedByTheClientsOwnModel() throws Exception {
    NodeRunner.runTestScript(
        "mcp-rerank-e2e.mjs",
        "the MCP rerank end-to-end test",
        env -> env.keySet().removeIf(k -> k.startsWith("OMEM_") && !k.equals("OMEM_JAR")),
        NODE_TEST_MINUTES);
  }
}
