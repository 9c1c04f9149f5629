package dev.omem.cli;

import dev.omem.daemon.DaemonFile;
import dev.omem.daemon.DaemonLauncher;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code omem daemon status|stop}: the per-user local daemon of a data dir. */
@Command(name = "daemon", description = "Show or stop the local daemon (status|stop).")
final class DaemonCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "status|stop", description = "What to do.")
  String action;

  @Override
  public Integer call() {
    DaemonLauncher launcher = new DaemonLauncher(common.config().home());
    Optional<DaemonFile> running = launcher.running();
    PrintWriter w = spec.commandLine().getOut();
    switch (action) {
      case "status" -> {
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
      case "stop" -> {
        if (running.isEmpty()) {
          w.println("no daemon is running for " + common.config().home());
          w.flush();
          return 0;
        }
        DaemonLauncher.stop(running.get());
        w.println("stopped the daemon (pid " + running.get().pid() + ")");
        w.flush();
        return 0;
      }
      default ->
          throw dev.omem.domain.OmemException.invalid(
              "unknown action '" + action + "'; use status or stop");
    }
  }
}
