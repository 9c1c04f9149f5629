package dev.omem.cli;

import dev.omem.domain.Memory;
import dev.omem.domain.MemoryJson;
import dev.omem.service.MemoryService;
import dev.omem.service.StoreRequest;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code omem store "fact"}. */
@Command(name = "store", description = "Remember a fact.")
final class StoreCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "TEXT", description = "The fact (words are joined).")
  List<String> words;

  @Option(
      names = {"-t", "--tag"},
      description = "A tag (repeatable).")
  List<String> tags;

  @Option(
      names = {"-c", "--category"},
      description = "profile, preferences, entities, events, cases or patterns.")
  String category;

  @Option(
      names = {"-s", "--scope"},
      description = "global, project or project:<name>.")
  String scope;

  @Option(names = "--source", description = "Where the fact came from.")
  String source;

  @Option(names = "--importance", description = "0 to 1 (default 0.5).")
  Double importance;

  @Override
  public Integer call() {
    try (MemoryService s = common.open()) {
      Memory m =
          s.store(
              CommonOptions.caller(),
              new StoreRequest(String.join(" ", words), tags, source, category, scope, importance));
      if (common.json) {
        Output.json(spec.commandLine().getOut(), MemoryJson.of(m));
      } else {
        spec.commandLine()
            .getOut()
            .println("Stored " + m.id() + " (" + m.category().wire() + ", " + m.scope() + ")");
        spec.commandLine().getOut().flush();
      }
    }
    return 0;
  }
}
