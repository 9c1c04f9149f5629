package dev.omem.e2e;

import dev.omem.testing.NodeRunner;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code src/test/node/bridge-squatter.mjs} (session 16's attacker's review): another local
 * user (run as {@code nobody} when the build runs as root) listens on the port a killed daemon's
 * {@code daemon.json} still names; neither the Node bridge nor the hook script may send it the
 * token, the team key, the hook's input or the MCP session, nor print what it answers.
 */
class BridgeSquatterIT {
  /** A cap, not the expected time: four short runs of node and bash (12 s at load 24). */
  private static final long NODE_TEST_MINUTES = 5;

  @Test
  void aSquatterOnADeadDaemonsPortGetsNothing() throws Exception {
    NodeRunner.runTestScript(
        "bridge-squatter.mjs",
        "the daemon port squatter test",
        env -> env.remove("OMEM_HOME"),
        NODE_TEST_MINUTES);
  }
}
