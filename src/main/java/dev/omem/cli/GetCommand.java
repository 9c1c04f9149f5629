package dev.omem.cli;

import dev.omem.domain.Memory;
import dev.omem.domain.MemoryJson;
import dev.omem.service.MemoryService;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code omem get ID}. */
@Command(name = "get", description = "Show one memory.")
final class GetCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The memory's id.")
  String id;

  @Override
  public Integer call() {
    try (MemoryService s = common.open(false)) {
      Memory m = s.get(CommonOptions.caller(), id);
      if (common.json) {
        Output.json(spec.commandLine().getOut(), MemoryJson.of(m));
      } else {
        Output.memory(spec.commandLine().getOut(), m);
      }
    }
    return 0;
  }
}
