package dev.omem.e2e;

import dev.omem.testing.NodeRunner;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code src/test/node/daemon-faults.mjs}: eight stdio servers sharing one data dir through
 * the daemon, the daemon SIGKILLed ten times mid-stream, a daemon of an older build replaced, and
 * remote mode riding out a server restart; all through the official MCP TypeScript SDK client.
 */
class DaemonFaultsIT {
  private static final long NODE_TEST_MINUTES = 12;

  @Test
  void daemonAndRemoteModeSurviveFaults() throws Exception {
    NodeRunner.runTestScript(
        "daemon-faults.mjs",
        "the daemon and remote-mode fault test",
        env -> env.remove("OMEM_HOME"),
        NODE_TEST_MINUTES);
  }
}
