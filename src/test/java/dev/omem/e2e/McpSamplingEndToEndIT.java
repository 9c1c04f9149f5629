package dev.omem.e2e;

import dev.omem.testing.NodeRunner;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code src/test/node/mcp-sampling-e2e.mjs}: the official MCP TypeScript SDK client, with the
 * {@code sampling} capability and a scripted model, drives {@code omem mcp}; {@code memory_ingest}
 * stores its model's facts and never shows it a secret of the conversation; clients without
 * sampling, a refusing client and {@code OMEM_SAMPLING=off} get the local rules. Both with the
 * store in the stdio process and through the local daemon.
 */
class McpSamplingEndToEndIT {
  private static final long NODE_TEST_MINUTES = 6;

  @Test
  void memoryIngestExtractsWithTheClientsOwnModel() throws Exception {
    NodeRunner.runTestScript(
        "mcp-sampling-e2e.mjs",
        "the MCP sampling end-to-end test",
        env -> env.keySet().removeIf(k -> k.startsWith("OMEM_") && !k.equals("OMEM_JAR")),
        NODE_TEST_MINUTES);
  }
}
