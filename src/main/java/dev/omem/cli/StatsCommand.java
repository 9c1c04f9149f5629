package dev.omem.cli;

import dev.omem.service.MemoryService;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code omem stats}: always JSON (it is a nested object). */
@Command(name = "stats", description = "Counts by type, category, tier, state and day.")
final class StatsCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    try (MemoryService s = common.open(false)) {
      Map<String, Object> stats = s.stats(CommonOptions.caller());
      Output.json(spec.commandLine().getOut(), stats);
    }
    return 0;
  }
}
