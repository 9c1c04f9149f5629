package dev.omem.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.testing.BuiltJar;
import dev.omem.testing.NodeRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code src/test/node/mcp-stdio-e2e.mjs}: the official MCP TypeScript SDK client drives
 * {@code java -jar target/omem.jar mcp} over stdio (tools, resources, bad input, restart and
 * SIGKILL recovery). Needs Node.js on the PATH; the client library comes from the npm registry
 * ({@code npm ci} in {@code src/test/node}, run here when {@code node_modules} is missing).
 */
class McpStdioEndToEndIT {
  private static final long NODE_TEST_MINUTES = 5;
  private static final Pattern SUMMARY_PASS = Pattern.compile("(?m)^\\S* ?pass [1-9]\\d*\\s*$");
  private static final Pattern SUMMARY_FAIL_0 = Pattern.compile("(?m)^\\S* ?fail 0\\s*$");

  @Test
  void officialMcpClientDrivesTheStdioServer() throws Exception {
    Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    Path jar = BuiltJar.path();

    Path node = NodeRunner.requireNode("the MCP end-to-end test");

    Path nodeProject = base.resolve("src/test/node");
    Path script = nodeProject.resolve("mcp-stdio-e2e.mjs");
    assertTrue(Files.isRegularFile(script), "missing " + script);
    NodeRunner.ensureInstalled(nodeProject);

    NodeRunner.Run e2e =
        NodeRunner.run(
            List.of(node.toString(), "--test", script.toString()),
            base,
            env -> env.put("OMEM_JAR", jar.toString()),
            NODE_TEST_MINUTES);
    assertEquals(0, e2e.exitCode(), "the MCP end-to-end test failed:\n" + e2e.output());
    // node's closing summary lines, "# pass 17" and "# fail 0" (TAP) or with a marker (spec).
    assertTrue(
        SUMMARY_PASS.matcher(e2e.output()).find() && SUMMARY_FAIL_0.matcher(e2e.output()).find(),
        "node's test runner reported no passed tests:\n" + e2e.output());
  }
}
