package dev.omem.daemon;

import dev.omem.remote.Endpoint;
import dev.omem.remote.RemoteConfig;
import java.io.IOException;
import java.util.Optional;

/**
 * The local daemon as a {@link dev.omem.remote.RemoteMemoryService} endpoint. When a connection is
 * refused (the daemon exited after its quiet period, was killed, or was replaced by a newer build)
 * it finds or starts the daemon again, so thin clients reconnect by themselves.
 */
public final class DaemonEndpoint implements Endpoint {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(DaemonEndpoint.class);
  private final DaemonLauncher launcher;
  private volatile RemoteConfig current;

  private DaemonEndpoint(DaemonLauncher launcher, DaemonFile daemon) {
    this.launcher = launcher;
    this.current = config(daemon);
  }

  /** The endpoint of a running daemon (started when needed), or empty when none can start. */
  public static Optional<DaemonEndpoint> connect(DaemonLauncher launcher) {
    return launcher.ensure().map(f -> new DaemonEndpoint(launcher, f));
  }

  @Override
  public RemoteConfig current() {
    return current;
  }

  @Override
  public synchronized Optional<RemoteConfig> reconnect(IOException cause) {
    long t0 = System.nanoTime();
    LOG.info(
        "omem's daemon at {} did not answer ({}); finding it again",
        current.url(),
        cause.toString());
    Optional<RemoteConfig> next = launcher.ensure().map(DaemonEndpoint::config);
    next.ifPresent(c -> current = c);
    LOG.info("found omem's daemon again in {} ms", (System.nanoTime() - t0) / 1_000_000);
    return next;
  }

  /** The daemon keeps keyed writes' answers: a call cut by a kill is sent to the next daemon. */
  @Override
  public boolean resendsInFlight() {
    return true;
  }

  /** Nothing on the daemon's port answers without its token. */
  @Override
  public boolean keyOnEveryRoute() {
    return true;
  }

  private static RemoteConfig config(DaemonFile f) {
    return RemoteConfig.of("http://127.0.0.1:" + f.port(), f.token());
  }

  @Override
  public String toString() {
    return "DaemonEndpoint(" + current.url() + ")";
  }
}
