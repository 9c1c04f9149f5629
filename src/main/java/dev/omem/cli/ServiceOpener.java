package dev.omem.cli;

import dev.omem.config.OmemConfig;
import dev.omem.daemon.DaemonEndpoint;
import dev.omem.daemon.DaemonLauncher;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import dev.omem.remote.RemoteConfig;
import dev.omem.remote.RemoteKeyService;
import dev.omem.remote.RemoteMemoryService;
import dev.omem.service.KeyService;
import dev.omem.service.LocalAdministration;
import dev.omem.service.MemoryService;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Which service a face talks to (DESIGN.md decision 2): the remote server that {@code OMEM_API_URL}
 * names; else the local daemon of the data dir, started when none runs; else, when no daemon can
 * start or {@code OMEM_DAEMON=off}, the store in this process under its exclusive lock, never while
 * another process holds it.
 */
final class ServiceOpener {
  private ServiceOpener() {}

  /**
   * The service a face talks to; with the store in this process, after waiting up to {@code
   * modelWait} for the embedding model (commands that store or search; zero: not at all).
   */
  static MemoryService open(OmemConfig config, Duration modelWait) {
    return opened(config, modelWait).service();
  }

  /** An opened service, and whether it is the store in this process (given back when idle). */
  record Opened(MemoryService service, boolean inProcess) {}

  private static Opened opened(OmemConfig config, Duration modelWait) {
    Map<String, String> env = System.getenv();
    Optional<RemoteConfig> remote = RemoteConfig.fromEnvironment(env);
    if (remote.isPresent()) {
      return new Opened(new RemoteMemoryService(remote.get()), false);
    }
    if (daemonAllowed(env)) {
      // ensure() waits for any process that holds the home and starts a daemon only when none
      // does: it is empty only when no daemon can run here, or when the holder never answers as
      // this home's daemon (then opening the store below fails naming that holder).
      Optional<DaemonEndpoint> daemon = DaemonEndpoint.connect(new DaemonLauncher(config.home()));
      if (daemon.isPresent()) {
        return new Opened(new RemoteMemoryService(daemon.get()), false);
      }
    }
    LocalAdministration local = LocalAdministration.open(config);
    if (!modelWait.isZero()) {
      local.awaitModel(modelWait);
    }
    return new Opened(local, true);
  }

  /**
   * The key service of {@code omem keys}: a server's only. Keys belong to tenants of {@code omem
   * serve}; the local store's own tenant has none (the daemon's token is not a key).
   */
  static KeyService openKeys() {
    return new RemoteKeyService(
        RemoteConfig.fromEnvironment(System.getenv())
            .orElseThrow(
                () ->
                    OmemException.invalid(
                        "omem keys manages your API keys on an omem server: set "
                            + RemoteConfig.URL_VARIABLE
                            + " to the server's address and "
                            + RemoteConfig.KEY_VARIABLE
                            + " to one of your keys")));
  }

  /**
   * {@link #open} for a client that lives long (an MCP session): when it ends up with the store in
   * its own process, the store is given back after {@code OMEM_STORE_IDLE_SECONDS} (default {@link
   * #STORE_IDLE}) without a call, and the next call looks for a daemon again first.
   */
  static MemoryService openForSession(OmemConfig config) {
    Map<String, String> env = System.getenv();
    if (RemoteConfig.fromEnvironment(env).isPresent()) {
      warmDaemonForHooks(config, env);
      return open(config, Duration.ZERO);
    }
    if (daemonAllowed(env)) {
      Optional<DaemonEndpoint> daemon = DaemonEndpoint.connect(new DaemonLauncher(config.home()));
      if (daemon.isPresent()) {
        return new RemoteMemoryService(daemon.get());
      }
    }
    String v = env.get("OMEM_STORE_IDLE_SECONDS");
    Duration idle = STORE_IDLE;
    if (v != null && !v.isBlank()) {
      try {
        idle = Duration.ofSeconds(Long.parseLong(v.trim()));
      } catch (NumberFormatException e) {
        throw OmemException.invalid(
            "OMEM_STORE_IDLE_SECONDS must be a whole number, got '" + v + "'");
      }
    }
    // Opened at the first call, and again after each release: the daemon if one can run now,
    // else the store, waiting for a process that holds it in turn to give it back.
    return new IdleReleasingService(() -> openWaiting(config), idle);
  }

  /**
   * Team mode (issue 17): the tools talk to the server, but the hooks are answered by this
   * machine's daemon, which reads the transcript here. An agent session starts it now, in the
   * background, so that the first hook finds it warm: a hook cannot wait for a JVM to start (Claude
   * Code kills a Stop hook after 5 s; on a loaded machine a daemon takes longer to come up).
   */
  private static void warmDaemonForHooks(OmemConfig config, Map<String, String> env) {
    if (!daemonAllowed(env) || "off".equalsIgnoreCase(env.get("OMEM_HOOKS"))) {
      return;
    }
    Thread t =
        new Thread(
            () -> {
              try {
                new DaemonLauncher(config.home()).ensure();
              } catch (RuntimeException e) {
                // the hooks start it themselves, or answer {}: never the session's failure
              }
            },
            "omem-warm-daemon");
    t.setDaemon(true);
    t.start();
  }

  /** How long a call waits for another process's in-process store to be given back. */
  private static final Duration HOLDER_WAIT = Duration.ofSeconds(30);

  private static Opened openWaiting(OmemConfig config) {
    long deadline = System.nanoTime() + HOLDER_WAIT.toNanos();
    while (true) {
      try {
        return opened(config, Duration.ZERO);
      } catch (OmemException e) {
        if (e.code() != ErrorCode.CONFLICT || System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OmemException(ErrorCode.UNAVAILABLE, "interrupted while opening the store");
      }
    }
  }

  /**
   * Ten seconds: other clients wait up to 30 s for a holder before failing (DaemonLauncher), and an
   * agent's calls come in bursts; reopening costs the store's open and the model's load.
   */
  static final Duration STORE_IDLE = Duration.ofSeconds(10);

  /** {@code OMEM_DAEMON=off} keeps the store in this process (tests of that mode, benchmarks). */
  static boolean daemonAllowed(Map<String, String> env) {
    String v = env.get("OMEM_DAEMON");
    return v == null
        || !(v.equalsIgnoreCase("off") || v.equals("0") || v.equalsIgnoreCase("false"));
  }
}
