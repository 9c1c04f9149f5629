package dev.omem.cli;

import dev.omem.daemon.DaemonFile;
import dev.omem.daemon.DaemonLauncher;
import dev.omem.domain.OmemException;
import dev.omem.remote.RemoteConfig;
import dev.omem.remote.RemoteMemoryService;
import dev.omem.service.BackupInfo;
import dev.omem.service.DatabaseBackups;
import dev.omem.service.Upkeep;
import dev.omem.store.DataDirLock;
import dev.omem.store.Storage;
import dev.omem.store.sqlite.SqliteStorage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code omem backup [FILE]}: a consistent snapshot of the local store, taken by the daemon when
 * one serves the home (the store stays open for its clients), else in this process under the
 * store's lock. Without FILE it goes to {@code <home>/backups/}. With {@code --database} it backs
 * up a team server's PostgreSQL store instead, while its nodes keep serving ({@link
 * DatabaseBackups}): the same file format.
 */
@Command(
    name = "backup",
    description =
        "Write a consistent snapshot of the store to FILE, or to <home>/backups/ when none is"
            + " given. With --database, the PostgreSQL store of omem serve --database.")
final class BackupCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "A new file.")
  String file;

  @Option(
      names = "--database",
      paramLabel = "URL",
      description =
          "Back up the PostgreSQL store at postgresql://user:password@host:port/database (a team"
              + " server's) instead of the local one.")
  String database;

  @Override
  public Integer call() {
    CommonOptions.refuseRemote("backup");
    Path home = common.config().home();
    String target = file == null ? null : Path.of(file).toAbsolutePath().normalize().toString();
    BackupInfo b;
    Optional<DaemonFile> daemon =
        database != null ? Optional.empty() : new DaemonLauncher(home).running();
    if (database != null) {
      b = DatabaseBackups.backup(common.config().withDatabase(database), target, Clock.systemUTC());
    } else if (daemon.isPresent()) {
      try (RemoteMemoryService s =
          new RemoteMemoryService(
              RemoteConfig.of("http://127.0.0.1:" + daemon.get().port(), daemon.get().token()))) {
        b = s.backup(CommonOptions.caller(), target);
      }
    } else {
      if (!Files.isRegularFile(home.resolve("omem.db"))) {
        throw OmemException.invalid("no store in " + home + " to back up");
      }
      DataDirLock lock = DataDirLock.acquire(home);
      try (Storage storage = SqliteStorage.open(home)) {
        b =
            new Upkeep(
                    storage.upkeep(),
                    home,
                    Upkeep.retention(home, System.getenv()),
                    Clock.systemUTC(),
                    () -> {})
                .backup(target);
      } finally {
        lock.close();
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (common.json) {
      Output.json(out, b.toJson());
    } else {
      out.printf("Backed up the store to %s (%,d bytes)%n", b.path(), b.sizeBytes());
      out.flush();
    }
    return 0;
  }
}
