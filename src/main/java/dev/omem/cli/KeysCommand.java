package dev.omem.cli;

import dev.omem.domain.ApiKey;
import dev.omem.domain.ApiKeyJson;
import dev.omem.service.Caller;
import dev.omem.service.KeyService;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code omem keys list|create NAME|rotate ID|revoke ID}: the API keys of the tenant whose key
 * {@code OMEM_API_KEY} is, on the server {@code OMEM_API_URL} names ({@link KeyService}).
 */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "List, create, rotate or revoke the API keys of your tenant on a server.",
    subcommands = {
      KeysCommand.ListKeys.class,
      KeysCommand.Create.class,
      KeysCommand.Rotate.class,
      KeysCommand.Revoke.class
    })
final class KeysCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "say what to do: list, create NAME, rotate ID or revoke ID");
  }

  /** The caller: the key in {@code OMEM_API_KEY} decides the tenant. */
  private static final Caller CALLER = new Caller(null, null, "omem-cli", null);

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      description = "Your tenant's keys (never their secrets).")
  static final class ListKeys implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print JSON, for scripts.")
    boolean json;

    @Override
    public Integer call() {
      try (KeyService keys = ServiceOpener.openKeys()) {
        List<ApiKey> all = keys.list(CALLER);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
          Output.json(out, Map.of("keys", all.stream().map(ApiKeyJson::of).toList()));
          return 0;
        }
        String row = "%-28s  %-24s  %-12s  %-7s  %-24s  %s%n";
        out.printf(row, "ID", "NAME", "PREFIX", "STATUS", "CREATED", "LAST USED");
        for (ApiKey k : all) {
          out.printf(
              row,
              k.id(),
              k.name(),
              k.prefix() == null ? "-" : k.prefix(),
              k.revoked() ? "revoked" : "active",
              k.createdAt(),
              time(k.lastUsedAt()));
        }
        out.flush();
      }
      return 0;
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      description = "A new key; its secret is printed this once.")
  static final class Create implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print JSON, for scripts.")
    boolean json;

    @Parameters(paramLabel = "NAME", description = "Where the key is used, e.g. \"ci runner\".")
    String name;

    @Override
    public Integer call() {
      try (KeyService keys = ServiceOpener.openKeys()) {
        issued(spec, json, keys.create(CALLER, name), "Created");
      }
      return 0;
    }
  }

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      description = "A new secret for a key; the old one stops working.")
  static final class Rotate implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print JSON, for scripts.")
    boolean json;

    @Parameters(paramLabel = "ID", description = "The key's id (omem keys list).")
    String id;

    @Override
    public Integer call() {
      try (KeyService keys = ServiceOpener.openKeys()) {
        issued(spec, json, keys.rotate(CALLER, id), "Rotated");
      }
      return 0;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      description = "Revoke a key; it is refused from the next request on.")
  static final class Revoke implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print JSON, for scripts.")
    boolean json;

    @Parameters(paramLabel = "ID", description = "The key's id (omem keys list).")
    String id;

    @Override
    public Integer call() {
      try (KeyService keys = ServiceOpener.openKeys()) {
        ApiKey k = keys.revoke(CALLER, id);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
          Output.json(out, ApiKeyJson.of(k));
        } else {
          out.println("Revoked " + k.id() + " (" + k.name() + ") at " + k.revokedAt());
          out.flush();
        }
      }
      return 0;
    }
  }

  /** Prints a key with its secret: the secret alone on the last line, for scripts to take. */
  private static void issued(
      CommandLine.Model.CommandSpec spec, boolean json, ApiKey.Issued issued, String verb) {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Output.json(out, ApiKeyJson.of(issued));
      return;
    }
    ApiKey k = issued.key();
    out.println(verb + " " + k.id() + " (" + k.name() + "). Its secret, shown this once:");
    out.println(issued.secret());
    out.flush();
  }

  private static String time(Instant t) {
    return t == null ? "never" : t.toString();
  }
}
