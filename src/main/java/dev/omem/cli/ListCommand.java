package dev.omem.cli;

import dev.omem.domain.Memory;
import dev.omem.domain.MemoryJson;
import dev.omem.domain.MemoryPage;
import dev.omem.service.ListRequest;
import dev.omem.service.MemoryService;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code omem list}. */
@Command(name = "list", description = "List memories, newest first.")
final class ListCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-n", "--limit"},
      description = "Page size (default 20).")
  Integer limit;

  @Option(names = "--offset", description = "How many to skip.")
  Integer offset;

  @Option(
      names = {"-c", "--category"},
      description = "Only this category.")
  String category;

  @Option(
      names = {"-t", "--tag"},
      description = "Only memories with this tag (repeatable).")
  List<String> tags;

  @Option(
      names = {"-s", "--scope"},
      description = "project (default), global, all or project:<name>.")
  String scope;

  @Option(names = "--state", description = "active, archived or deleted.")
  String state;

  @Option(names = "--sort", description = "created_at, updated_at, importance or access_count.")
  String sort;

  @Option(names = "--order", description = "asc or desc.")
  String order;

  @Override
  public Integer call() {
    try (MemoryService s = common.open(false)) {
      MemoryPage page =
          s.list(
              CommonOptions.caller(),
              ListRequest.builder()
                  .limit(limit)
                  .offset(offset)
                  .category(category)
                  .tags(tags)
                  .scope(scope)
                  .state(state)
                  .sort(sort)
                  .order(order)
                  .build());
      PrintWriter w = spec.commandLine().getOut();
      if (common.json) {
        Output.json(w, MemoryJson.page(page));
        return 0;
      }
      w.println(page.memories().size() + " of " + page.totalCount() + " memories");
      for (Memory m : page.memories()) {
        Output.memory(w, m);
      }
      w.flush();
    }
    return 0;
  }
}
