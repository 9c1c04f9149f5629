package dev.omem.e2e;

import dev.omem.testing.NodeRunner;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code src/test/node/mcp-both-ways-e2e.mjs}: the official MCP TypeScript SDK client sends
 * the same tool calls to {@code omem mcp} in-process, through the daemon and against a remote
 * {@code omem serve}, and the answers must match field by field (issue 15).
 */
class McpBothWaysEndToEndIT {
  private static final long NODE_TEST_MINUTES = 6;

  @Test
  void theSameCallsGiveTheSameAnswersEveryWay() throws Exception {
    NodeRunner.runTestScript(
        "mcp-both-ways-e2e.mjs", "the MCP both-ways test", env -> {}, NODE_TEST_MINUTES);
  }
}
