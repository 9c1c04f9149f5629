package dev.omem.cli;

import dev.omem.config.OmemConfig;
import dev.omem.daemon.DaemonFile;
import dev.omem.daemon.DaemonLauncher;
import dev.omem.domain.OmemException;
import dev.omem.project.ProjectResolver;
import dev.omem.remote.RemoteConfig;
import dev.omem.service.Caller;
import dev.omem.service.LocalAdministration;
import dev.omem.service.MemoryService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options every people-facing command shares, and how they open the store. */
final class CommonOptions {
  /** A CLI call waits this long for the model, so what it stores is embedded at once. */
  private static final Duration MODEL_WAIT = Duration.ofSeconds(60);

  @Option(
      names = "--home",
      paramLabel = "DIR",
      description =
          "Data directory (default: $OMEM_HOME, else ~/.omem). Not used when $OMEM_API_URL names"
              + " a remote server.")
  String home;

  @Option(names = "--json", description = "Print JSON, for scripts.")
  boolean json;

  OmemConfig config() {
    return OmemConfig.fromEnvironment(home);
  }

  /** The remote server when {@code OMEM_API_URL} and {@code OMEM_API_KEY} are set. */
  static Optional<RemoteConfig> remote() {
    return RemoteConfig.fromEnvironment(System.getenv());
  }

  /** The remote server's service when one is configured, else the local store (model ready). */
  MemoryService open() {
    return open(true);
  }

  /**
   * The service {@link ServiceOpener} picks: the remote server, the local daemon, or the store in
   * this process; {@code awaitModel}: with the store in this process, wait for the embedding model
   * (commands that store or search), or not (get, list, forget). A daemon is ready when found.
   */
  MemoryService open(boolean awaitModel) {
    return ServiceOpener.open(config(), awaitModel ? MODEL_WAIT : Duration.ZERO);
  }

  /** Refuses {@code command} in remote mode: it works on this machine's store only. */
  static void refuseRemote(String command) {
    Optional<RemoteConfig> remote = remote();
    if (remote.isPresent()) {
      throw OmemException.invalid(
          "omem "
              + command
              + " works on the local store only, and "
              + RemoteConfig.URL_VARIABLE
              + " points omem at the server "
              + remote.get().url()
              + ": unset "
              + RemoteConfig.URL_VARIABLE
              + " and "
              + RemoteConfig.KEY_VARIABLE
              + " to "
              + command
              + " the local store");
    }
  }

  /** The local store, for commands that only make sense on it; refused in remote mode. */
  LocalAdministration openLocal(String command) {
    refuseRemote(command);
    Optional<DaemonFile> daemon = new DaemonLauncher(config().home()).running();
    if (daemon.isPresent()) {
      throw OmemException.invalid(
          "omem "
              + command
              + " needs the store to itself, and the daemon (pid "
              + daemon.get().pid()
              + ") has it open: run omem daemon stop first");
    }
    return LocalAdministration.open(config());
  }

  /** The caller: the project of the directory the command runs in. */
  static Caller caller() {
    return Caller.local(ProjectResolver.projectKey(Path.of("").toAbsolutePath()).orElse(null));
  }
}
