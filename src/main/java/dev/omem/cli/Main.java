package dev.omem.cli;

import dev.omem.domain.OmemException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one entry point of omem.jar: sub-commands for agents (mcp) and for people. */
@Command(
    name = "omem",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Persistent, shared memory for coding agents.",
    subcommands = {
      McpCommand.class,
      StoreCommand.class,
      SearchCommand.class,
      GetCommand.class,
      ListCommand.class,
      UpdateCommand.class,
      ConfirmCommand.class,
      ForgetCommand.class,
      StatsCommand.class,
      SpaceCommand.class,
      ImportCommand.class,
      ExportCommand.class,
      DoctorCommand.class,
      ReindexCommand.class,
      DecayCommand.class,
      KeysCommand.class,
      BackupCommand.class,
      RestoreCommand.class,
      MigrateCommand.class,
      ServeCommand.class,
      DaemonCommand.class,
      UiCommand.class,
      HookCommand.class,
      InstallCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /**
   * With no sub-command and a terminal on stdin: show the usage. (Without a terminal, an agent
   * started us, and {@link #run(String...)} serves MCP instead.)
   */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    String level = System.getenv("OMEM_LOG_LEVEL");
    if (level != null && !level.isBlank()) {
      // Read by slf4j-simple when the first logger is made, so before anything logs.
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level.trim());
    } else if (args.length > 0 && args[0].equals("hook")) {
      // A hook says what went wrong in one line of its own; log lines would only clutter the
      // agent's output.
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "off");
    }
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (for tests: no System.exit). */
  public static int run(String... args) {
    if (args.length == 0 ? !stdinIsTerminal() : args.length == 1 && args[0].equals("mcp")) {
      // What agents run: no options to parse, so no picocli (about 150 ms of class loading before
      // the handshake could be answered; DESIGN.md decision 3).
      try {
        return new McpCommand().call();
      } catch (Exception e) {
        System.err.println("omem: " + e.getMessage());
        return 1;
      }
    }
    if (args.length == 4
        && args[0].equals("serve")
        && args[1].equals("--daemon")
        && args[2].equals("--home")) {
      // How DaemonLauncher starts the daemon, also after a kill while clients wait: picocli's
      // model of every sub-command cost about 0.4 CPU-seconds of that restart (BENCHMARKS.md).
      ServeCommand serve = new ServeCommand();
      serve.daemon = true;
      serve.home = args[3];
      try {
        return serve.call();
      } catch (OmemException e) {
        System.err.println("omem: " + e.getMessage());
        return e.code().httpStatus() < 500 ? 2 : 1;
      } catch (Exception e) {
        System.err.println("omem: " + e);
        return 1;
      }
    }
    // The agent path skips building every sub-command's model (about 150 ms of reflection
    // before the MCP handshake could be answered).
    boolean mcp = args.length > 0 ? args[0].equals("mcp") : !stdinIsTerminal();
    CommandLine cl;
    if (mcp) {
      cl = new CommandLine(new McpCommand());
      args = args.length > 0 ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
    } else {
      cl = new CommandLine(new Main());
      withHelp(cl);
    }
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          if (e instanceof OmemException oe) {
            err.println("omem: " + oe.getMessage());
            err.flush();
            return oe.code().httpStatus() < 500 ? 2 : 1;
          }
          err.println("omem: " + e);
          err.flush();
          return 1;
        });
    cl.setParameterExceptionHandler(
        (e, args2) -> {
          PrintWriter err = e.getCommandLine().getErr();
          String name = e.getCommandLine().getCommandName();
          String help =
              e.getCommandLine().getParent() != null
                  ? e.getCommandLine().getCommandSpec().qualifiedName() + " --help"
                  : name.equals("omem") ? "omem --help" : "omem " + name + " --help";
          err.println("omem: " + e.getMessage() + " (see: " + help + ")");
          err.flush();
          return 2;
        });
    return cl.execute(args);
  }

  /**
   * Gives every sub-command that lacks one a {@code -h, --help} option (usage, exit 0): an error
   * message points at {@code omem <command> --help}, so each command must answer it (issue 17:
   * {@code omem serve --help} was an unknown option).
   */
  static void withHelp(CommandLine cl) {
    for (CommandLine sub : cl.getSubcommands().values()) {
      CommandLine.Model.CommandSpec spec = sub.getCommandSpec();
      if (spec.findOption("--help") == null) {
        spec.addOption(
            CommandLine.Model.OptionSpec.builder(
                    spec.findOption("-h") == null
                        ? new String[] {"-h", "--help"}
                        : new String[] {"--help"})
                .usageHelp(true)
                .description("Show this help message and exit.")
                .build());
      }
      withHelp(sub);
    }
  }

  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** Linux tells through /proc which file stdin is; elsewhere, a console means a terminal. */
  static boolean stdinIsTerminal() {
    try {
      Path fd0 = Path.of("/proc/self/fd/0");
      if (Files.exists(fd0)) {
        String target = Files.readSymbolicLink(fd0).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
      }
    } catch (IOException | UnsupportedOperationException e) {
      // fall back below
    }
    return System.console() != null;
  }

  /** Prints omem's version for {@code --version}. */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"omem " + version()};
    }
  }
}
