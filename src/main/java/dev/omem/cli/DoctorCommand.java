package dev.omem.cli;

import dev.omem.remote.RemoteConfig;
import dev.omem.remote.RemoteMemoryService;
import dev.omem.service.LocalMemoryService;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code omem doctor}: is everything where it should be, and healthy. */
@Command(
    name = "doctor",
    description = "Check the data dir, schema, model and index (or the remote server).")
final class DoctorCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Optional<RemoteConfig> remote = CommonOptions.remote();
    if (remote.isPresent()) {
      try (RemoteMemoryService s = new RemoteMemoryService(remote.get())) {
        Map<String, Object> h = s.health();
        print(h);
        return "ok".equals(h.get("status")) && "accepted".equals(h.get("api_key")) ? 0 : 1;
      }
    }
    try (LocalMemoryService s = LocalMemoryService.open(common.config())) {
      boolean modelOk = s.awaitModel(Duration.ofSeconds(60));
      print(s.health());
      return modelOk ? 0 : 1;
    }
  }

  private void print(Map<String, Object> h) {
    PrintWriter w = spec.commandLine().getOut();
    if (common.json) {
      Output.json(w, h);
    } else {
      h.forEach((k, v) -> w.printf("%-24s %s%n", k, v));
      w.flush();
    }
  }
}
