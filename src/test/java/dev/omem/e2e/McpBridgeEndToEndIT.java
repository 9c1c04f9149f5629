package dev.omem.e2e;

import dev.omem.testing.NodeRunner;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code src/test/node/mcp-stdio-e2e.mjs} unchanged through the Node stdio bridge ({@code
 * plugins/claude-code/bin/omem-bridge.js}) to the local daemon's MCP endpoint, instead of {@code
 * java -jar omem.jar mcp} with the store in-process: the same official-client tests (tools, bad
 * input, restart, SIGKILL recovery, early stops) pass with no JVM per session. The suite stops the
 * daemons it started at its end.
 */
class McpBridgeEndToEndIT {
  private static final long NODE_TEST_MINUTES = 12;

  @Test
  void officialMcpClientDrivesTheDaemonThroughTheBridge() throws Exception {
    NodeRunner.runTestScript(
        "mcp-stdio-e2e.mjs",
        "the MCP end-to-end test through the bridge",
        env ->
            env.put(
                "OMEM_E2E_BRIDGE",
                java.nio.file.Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                    .resolve("plugins/claude-code/bin/omem-bridge.js")
                    .toString()),
        NODE_TEST_MINUTES);
  }
}
