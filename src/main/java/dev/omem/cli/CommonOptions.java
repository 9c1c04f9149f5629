package dev.omem.cli;

import dev.omem.config.OmemConfig;
import dev.omem.project.ProjectResolver;
import dev.omem.service.Caller;
import dev.omem.service.LocalMemoryService;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options every people-facing command shares, and how they open the store. */
final class CommonOptions {
  /** A CLI call waits this long for the model, so what it stores is embedded at once. */
  private static final Duration MODEL_WAIT = Duration.ofSeconds(60);

  @Option(
      names = "--home",
      paramLabel = "DIR",
      description = "Data directory (default: $OMEM_HOME, else ~/.omem).")
  String home;

  @Option(names = "--json", description = "Print JSON, for scripts.")
  boolean json;

  OmemConfig config() {
    return OmemConfig.fromEnvironment(home);
  }

  /** Opens the local store and waits for the embedding model. */
  LocalMemoryService open() {
    LocalMemoryService s = LocalMemoryService.open(config());
    s.awaitModel(MODEL_WAIT);
    return s;
  }

  /** The caller: the project of the directory the command runs in. */
  static Caller caller() {
    return Caller.local(ProjectResolver.projectKey(Path.of("").toAbsolutePath()).orElse(null));
  }
}
