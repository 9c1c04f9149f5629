package dev.omem.cli;

import dev.omem.config.OmemConfig;
import dev.omem.daemon.DaemonEndpoint;
import dev.omem.daemon.DaemonLauncher;
import dev.omem.domain.OmemException;
import dev.omem.remote.RemoteConfig;
import dev.omem.remote.RemoteKeyService;
import dev.omem.remote.RemoteMemoryService;
import dev.omem.service.KeyService;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.MemoryService;
import java.util.Map;
import java.util.Optional;

/**
 * Which service a face talks to (DESIGN.md decision 2): the remote server that {@code OMEM_API_URL}
 * names; else the local daemon of the data dir, started when none runs; else, when no daemon can
 * start or {@code OMEM_DAEMON=off}, the store in this process under its exclusive lock.
 */
final class ServiceOpener {
  private ServiceOpener() {}

  static MemoryService open(OmemConfig config) {
    Map<String, String> env = System.getenv();
    Optional<RemoteConfig> remote = RemoteConfig.fromEnvironment(env);
    if (remote.isPresent()) {
      return new RemoteMemoryService(remote.get());
    }
    if (daemonAllowed(env)) {
      Optional<DaemonEndpoint> daemon = DaemonEndpoint.connect(new DaemonLauncher(config.home()));
      if (daemon.isPresent()) {
        return new RemoteMemoryService(daemon.get());
      }
    }
    return LocalMemoryService.open(config);
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

  /** {@code OMEM_DAEMON=off} keeps the store in this process (tests of that mode, benchmarks). */
  static boolean daemonAllowed(Map<String, String> env) {
    String v = env.get("OMEM_DAEMON");
    return v == null
        || !(v.equalsIgnoreCase("off") || v.equals("0") || v.equalsIgnoreCase("false"));
  }
}
