package dev.omem.cli;

import dev.omem.domain.Memory;
import dev.omem.domain.MemoryJson;
import dev.omem.service.MemoryService;
import dev.omem.service.UpdateRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code omem confirm ID}: confirms a candidate, a fact picked up from a conversation (issue 14);
 * the same as {@code memory_update} with {@code confirm: true}. A confirmed memory stays as it is.
 */
@Command(
    name = "confirm",
    description = "Confirm a memory marked [unconfirmed] (a fact picked up from a conversation).")
final class ConfirmCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The memory's id.")
  String id;

  @Override
  public Integer call() {
    try (MemoryService s = common.open()) {
      Memory m =
          s.update(
              CommonOptions.caller(), new UpdateRequest(id, null, null, null, null, null, true));
      if (common.json) {
        Output.json(spec.commandLine().getOut(), MemoryJson.of(m));
      } else {
        Output.memory(spec.commandLine().getOut(), m);
      }
    }
    return 0;
  }
}
