package dev.omem.cli;

import dev.omem.daemon.DaemonFile;
import dev.omem.daemon.DaemonLauncher;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
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
        return status(launcher.running(), w);
      }
      case "status" -> {
        return status(launcher.running(), w);
      }
      case "stop" -> {
        Optional<DaemonFile> running = launcher.running();
        if (running.isEmpty()) {
          w.println("no daemon is running for " + common.config().home());
        } else {
          DaemonLauncher.stop(running.get());
          w.println("stopped the daemon (pid " + running.get().pid() + ")");
        }
        w.flush();
        return 0;
      }
      default ->
          throw OmemException.invalid("unknown action '" + action + "'; use start, status or stop");
    }
  }

  /** Prints the daemon's state; exits 0 when it runs and 3 when not, as service managers do. */
  private int status(Optional<DaemonFile> running, PrintWriter w) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("running", running.isPresent());
    running.ifPresent(
        f -> {
          s.put("pid", f.pid());
          s.put("url", "http://127.0.0.1:" + f.port());
          s.put("version", f.version());
          s.put("built", f.built());
        });
    s.put("data_dir", common.config().home().toString());
    if (common.json) {
      Output.json(w, s);
    } else {
      s.forEach((k, v) -> w.printf("%-10s %s%n", k, v));
      w.flush();
    }
    return running.isPresent() ? 0 : 3;
  }
}
