package dev.omem.cli;

import dev.omem.service.LocalAdministration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code omem reindex}: rebuild the Lucene index from SQLite, reusing stored vectors. */
@Command(
    name = "reindex",
    description = "Rebuild the search index from the store (no re-embedding).")
final class ReindexCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    try (LocalAdministration s = common.openLocal("reindex")) {
      long t0 = System.nanoTime();
      int n = s.reindex();
      spec.commandLine()
          .getOut()
          .printf("Reindexed %d memories in %d ms%n", n, (System.nanoTime() - t0) / 1_000_000);
      spec.commandLine().getOut().flush();
    }
    return 0;
  }
}
