package dev.omem.cli;

import dev.omem.service.ForgetResult;
import dev.omem.service.MemoryService;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code omem forget ID}. */
@Command(name = "forget", description = "Forget a memory (it leaves search; its record stays).")
final class ForgetCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The memory's id.")
  String id;

  @Override
  public Integer call() {
    try (MemoryService s = common.open(false)) {
      ForgetResult r = s.forget(CommonOptions.caller(), id);
      if (common.json) {
        Output.json(spec.commandLine().getOut(), Map.of("id", r.id(), "status", r.status()));
      } else {
        spec.commandLine().getOut().println("Forgot " + r.id());
        spec.commandLine().getOut().flush();
      }
    }
    return 0;
  }
}
