package dev.omem.cli;

import dev.omem.domain.MemoryJson;
import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchOutcome;
import dev.omem.service.MemoryService;
import dev.omem.service.SearchRequest;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code omem search "query"}. */
@Command(name = "search", description = "Find memories by meaning and keywords.")
final class SearchCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "QUERY", description = "What to look for.")
  List<String> words;

  @Option(
      names = {"-n", "--limit"},
      description = "Results at most (default 10).")
  Integer limit;

  @Option(
      names = {"-t", "--tag"},
      description = "Only memories with this tag (repeatable).")
  List<String> tags;

  @Option(
      names = {"-s", "--scope"},
      description = "project (default), global, all or project:<name>.")
  String scope;

  @Option(names = "--min-score", description = "Drop results below this score.")
  Double minScore;

  @Option(names = "--trace", description = "Show the per-stage retrieval trace.")
  boolean trace;

  @Override
  public Integer call() {
    try (MemoryService s = common.open()) {
      SearchOutcome out =
          s.search(
              CommonOptions.caller(),
              SearchRequest.builder(String.join(" ", words))
                  .limit(limit)
                  .tags(tags)
                  .scope(scope)
                  .minScore(minScore)
                  .includeTrace(trace)
                  .build());
      PrintWriter w = spec.commandLine().getOut();
      if (common.json) {
        Output.json(w, MemoryJson.search(out));
        return 0;
      }
      if (out.results().isEmpty()) {
        w.println(out.reason() == null ? "No memories found." : out.reason());
      }
      for (ScoredMemory r : out.results()) {
        w.print(String.format(Locale.ROOT, "%.2f  ", r.score()));
        Output.memory(w, r.memory());
      }
      if (out.trace() != null) {
        Output.json(w, MemoryJson.trace(out.trace()));
      }
      w.flush();
    }
    return 0;
  }
}
