package dev.omem.e2e;

import dev.omem.testing.NodeRunner;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code src/test/node/daemon-identity.mjs}: one daemon per home with real processes (the
 * built jar): daemons killed while a client starts, a deleted or unwritable {@code daemon.json}, a
 * copied home, a client with the store in-process giving it back when idle, SIGKILL twenty times
 * during streams of stores (no failed call, nothing lost or applied twice), and the start-up
 * archive's child dying with its daemon.
 */
class DaemonIdentityIT {
  /** About two minutes on an idle 2-core machine; the rest is room for a loaded one. */
  private static final long NODE_TEST_MINUTES = 10;

  @Test
  void oneDaemonPerHomeProvably() throws Exception {
    NodeRunner.runTestScript(
        "daemon-identity.mjs",
        "the daemon identity and fault test",
        env -> env.remove("OMEM_HOME"),
        NODE_TEST_MINUTES);
  }
}
