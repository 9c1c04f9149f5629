package dev.omem.cli;

import dev.omem.domain.Memory;
import dev.omem.domain.MemoryJson;
import dev.omem.service.MemoryService;
import dev.omem.service.UpdateRequest;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code omem update ID --content ...}. */
@Command(name = "update", description = "Change a memory.")
final class UpdateCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The memory's id.")
  String id;

  @Option(names = "--content", description = "The new text.")
  String content;

  @Option(
      names = {"-t", "--tag"},
      description = "The new tags (repeatable; replaces the old).")
  List<String> tags;

  @Option(
      names = {"-c", "--category"},
      description = "The new category.")
  String category;

  @Option(names = "--importance", description = "0 to 1.")
  Double importance;

  @Option(names = "--state", description = "active or archived.")
  String state;

  @Override
  public Integer call() {
    try (MemoryService s = common.open()) {
      Memory m =
          s.update(
              CommonOptions.caller(),
              new UpdateRequest(id, content, tags, category, importance, state));
      if (common.json) {
        Output.json(spec.commandLine().getOut(), MemoryJson.of(m));
      } else {
        Output.memory(spec.commandLine().getOut(), m);
      }
    }
    return 0;
  }
}
