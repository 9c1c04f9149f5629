package dev.omem.cli;

import dev.omem.daemon.DaemonFile;
import dev.omem.daemon.DaemonLauncher;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import dev.omem.store.DataDirLock;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code omem daemon start|status|stop}: the per-user local daemon of a data dir. */
@Command(name = "daemon", description = "Start, show or stop the local daemon (start|status|stop).")
final class DaemonCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "start|status|stop", description = "What to do.")
  String action;

  @Override
  public Integer call() {
    DaemonLauncher launcher = new DaemonLauncher(common.config().home());
    PrintWriter w = spec.commandLine().getOut();
    switch (action) {
      case "start" -> {
        if (launcher.ensure().isEmpty()) {
          throw new OmemException(
              ErrorCode.UNAVAILABLE,
              "the daemon did not start; see " + common.config().home().resolve("daemon.log"));
        }
        return status(launcher.running(), launcher.holder(), w);
      }
      case "status" -> {
        return status(launcher.running(), launcher.holder(), w);
      }
      case "stop" -> {
        // Found through the store's lock, so a daemon whose daemon.json is gone stops too.
        Optional<DataDirLock.Holder> holder = launcher.holder().filter(DataDirLock.Holder::daemon);
        Optional<Long> pid =
            launcher.running().map(DaemonFile::pid).or(() -> holder.map(DataDirLock.Holder::pid));
        if (pid.isEmpty()) {
          w.println("no daemon is running for " + common.config().home());
        } else {
          DaemonLauncher.stop(pid.get());
          w.println("stopped the daemon (pid " + pid.get() + ")");
        }
        w.flush();
        return 0;
      }
      default ->
          throw OmemException.invalid("unknown action '" + action + "'; use start, status or stop");
    }
  }

  /**
   * Prints the daemon's state; exits 0 when it runs and 3 when not, as service managers do. A
   * daemon is running when it answers as this home's daemon, or when it holds the home's lock (its
   * daemon.json may be gone for a moment); {@code holder} names a process that holds the store
   * without being a daemon.
   */
  private int status(
      Optional<DaemonFile> running, Optional<DataDirLock.Holder> holder, PrintWriter w) {
    Map<String, Object> s = new LinkedHashMap<>();
    boolean daemon = running.isPresent() || holder.map(DataDirLock.Holder::daemon).orElse(false);
    s.put("running", daemon);
    if (running.isPresent()) {
      DaemonFile f = running.get();
      s.put("pid", f.pid());
      s.put("url", "http://127.0.0.1:" + f.port());
      s.put("version", f.version());
      s.put("built", f.built());
    } else if (holder.isPresent() && daemon) {
      s.put("pid", holder.get().pid());
      s.put("url", "http://127.0.0.1:" + holder.get().port());
    } else if (holder.isPresent()) {
      s.put("store_held_by", holder.get().pid());
    }
    s.put("data_dir", common.config().home().toString());
    if (common.json) {
      Output.json(w, s);
    } else {
      s.forEach((k, v) -> w.printf("%-13s %s%n", k, v));
      w.flush();
    }
    return daemon ? 0 : 3;
  }
}
