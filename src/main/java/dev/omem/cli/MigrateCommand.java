package dev.omem.cli;

import dev.omem.domain.OmemException;
import dev.omem.service.StoreMigration;
import dev.omem.store.MigratedTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code omem migrate --from HOME --to postgresql://…}: a SQLite store copied into PostgreSQL for a
 * team server's nodes ({@link StoreMigration}); the counts of every table are checked and printed.
 */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Copy the SQLite store of a home into a PostgreSQL database for omem serve --database:"
          + " memories with their vectors (nothing is embedded again), history, the change log,"
          + " tenants, API keys, spaces, members, invitations, auto-share rules, ingest tasks,"
          + " imports, hook state and meta. Every table's rows are counted in both and must"
          + " match.",
      "The source is opened read only and never changed; this command holds the home's lock, so"
          + " stop the daemon or server using it first. The target gets everything in one"
          + " transaction: on any failure it is left as it was, and the command can simply be"
          + " run again. A target that already holds omem data is refused unless --replace is"
          + " given. Start the nodes on the target afterwards: each builds its index from the"
          + " stored vectors."
    })
final class MigrateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "HOME",
      description = "The data directory whose omem.db is copied (e.g. ~/.omem or a server's).")
  Path from;

  @Option(
      names = "--to",
      paramLabel = "URL",
      description =
          "The target database, postgresql://user:password@host:port/database (default:"
              + " $OMEM_DATABASE_URL). Its schema is created or upgraded as omem serve would.")
  String to;

  @Option(
      names = "--replace",
      description =
          "Delete what the target already holds (all omem data, in the same transaction as the"
              + " copy) instead of refusing it. Stop every node and remove their index"
              + " directories first.")
  boolean replace;

  @Option(names = "--json", description = "Print JSON, for scripts.")
  boolean json;

  @Override
  public Integer call() {
    String url = to != null ? to : System.getenv("OMEM_DATABASE_URL");
    if (url == null || url.isBlank()) {
      throw OmemException.invalid("say where to: --to postgresql://user:password@host/database");
    }
    Path home = from.toAbsolutePath().normalize();
    List<MigratedTable> tables = StoreMigration.run(home, url, replace);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> counts = new LinkedHashMap<>();
      for (MigratedTable t : tables) {
        counts.put(t.table(), Map.of("source", t.source(), "target", t.target()));
      }
      Output.json(
          out,
          Map.of(
              "from", home.toString(),
              "to", StoreMigration.redact(url.trim()),
              "tables", counts));
      return 0;
    }
    out.printf("Migrated %s to %s%n", home, StoreMigration.redact(url.trim()));
    out.printf("%-20s %10s %10s%n", "table", "source", "target");
    for (MigratedTable t : tables) {
      out.printf("%-20s %,10d %,10d%n", t.table(), t.source(), t.target());
    }
    out.println("Every table's count matches. Start omem serve --database on the target.");
    out.flush();
    return 0;
  }
}
