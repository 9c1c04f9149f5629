package dev.omem.cli;

import dev.omem.daemon.DaemonFile;
import dev.omem.daemon.DaemonLauncher;
import dev.omem.service.DatabaseBackups;
import dev.omem.service.StoreRestore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code omem restore FILE}: the backup becomes the store. The file is checked first (a bad one
 * changes nothing, the daemon keeps running); then a running daemon is stopped (its clients start
 * it again on their next call), the current store is kept in {@code backups/}, and the index is
 * rebuilt from the restored rows. With {@code --database} the backup replaces a team server's
 * PostgreSQL store instead ({@link DatabaseBackups}): its nodes keep running and catch their
 * indexes up to the restored rows.
 */
@Command(
    name = "restore",
    description =
        "Replace the store with a backup (the current store is kept in <home>/backups/; a running"
            + " daemon is stopped first). With --database, the PostgreSQL store of omem serve"
            + " --database (what it held is kept in <home>/backups/; its nodes follow).")
final class RestoreCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "A backup from omem backup.")
  String file;

  @Option(
      names = "--database",
      paramLabel = "URL",
      description =
          "Restore into the PostgreSQL store at postgresql://user:password@host:port/database"
              + " (a team server's) instead of the local one.")
  String database;

  @Override
  public Integer call() {
    CommonOptions.refuseRemote("restore");
    Path home = common.config().home();
    StoreRestore.Prepared prepared =
        StoreRestore.prepare(home, Path.of(file).toAbsolutePath().normalize());
    Optional<DaemonFile> daemon =
        database != null ? Optional.empty() : new DaemonLauncher(home).running();
    daemon.ifPresent(DaemonLauncher::stop);
    StoreRestore.Restored r =
        database != null
            ? DatabaseBackups.restore(
                common.config().withDatabase(database), prepared, Clock.systemUTC())
            : StoreRestore.apply(common.config(), prepared, Clock.systemUTC());
    PrintWriter out = spec.commandLine().getOut();
    if (common.json) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("restored_from", file);
      j.put("memories", r.memories());
      j.put("schema_version", r.schemaVersion());
      j.put("previous_store", r.previous());
      j.put("daemon_stopped", daemon.map(DaemonFile::pid).orElse(null));
      Output.json(out, j);
    } else {
      out.printf("Restored %,d memories from %s%n", r.memories(), file);
      if (r.previous() != null) {
        out.printf("The store it replaced is kept in %s%n", r.previous());
      }
      daemon.ifPresent(d -> out.printf("Stopped the daemon (pid %d) to restore%n", d.pid()));
      out.flush();
    }
    return 0;
  }
}
