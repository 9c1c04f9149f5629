package dev.omem.e2e;

import dev.omem.testing.NodeRunner;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code src/test/node/mcp-stdio-e2e.mjs}: the official MCP TypeScript SDK client drives
 * {@code java -jar target/omem.jar mcp} over stdio (tools, resources, bad input, restart and
 * SIGKILL recovery). Needs Node.js on the PATH; the client library comes from the npm registry
 * ({@code npm ci} in {@code src/test/node}, run here when {@code node_modules} is missing).
 */
class McpStdioEndToEndIT {
  private static final long NODE_TEST_MINUTES = 5;

  @Test
  void officialMcpClientDrivesTheStdioServer() throws Exception {
    NodeRunner.runTestScript(
        "mcp-stdio-e2e.mjs", "the MCP end-to-end test", env -> {}, NODE_TEST_MINUTES);
  }
}
