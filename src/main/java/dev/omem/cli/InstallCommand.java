package dev.omem.cli;

import dev.omem.daemon.DaemonLauncher;
import dev.omem.domain.OmemException;
import dev.omem.install.InstallContext;
import dev.omem.install.Installer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code omem install <client> [--dry-run]}: copies this jar to {@code <data dir>/lib/omem.jar},
 * puts the launcher ({@code <data dir>/bin/omem}) and the hook script ({@code <data
 * dir>/hooks/omem-hook}) next to it, and registers omem in the client's configuration, keeping
 * everything else the file holds (dev.omem.install).
 */
@Command(
    name = "install",
    description =
        "Set up omem for a client: claude-code, cursor, claude-desktop or codex. Copies this jar"
            + " under the data dir and adds omem to the client's configuration (keeping the rest);"
            + " prints every change.")
final class InstallCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "CLIENT",
      description = "claude-code, cursor, claude-desktop or codex")
  String client;

  @Option(names = "--dry-run", description = "Print what would change; write nothing.")
  boolean dryRun;

  @Option(
      names = "--agent-extractor",
      description =
          "Also extract facts after a Stop by running the agent's own CLI (claude -p) in the"
              + " background; it spends your quota (config.json \"extractor\": \"agent-cli\").")
  boolean agentExtractor;

  @Override
  public Integer call() throws IOException {
    Path jar =
        DaemonLauncher.jar()
            .orElseThrow(
                () ->
                    OmemException.invalid(
                        "omem install copies the jar it runs from, and this omem does not run from"
                            + " a jar: run it as java -jar omem.jar install ..."));
    InstallContext ctx = InstallContext.of(common.config().home(), System.getenv());
    new Installer(ctx, spec.commandLine().getOut())
        .install(Installer.client(client), jar, dryRun, agentExtractor);
    return 0;
  }
}
