package dev.omem.cli;

import dev.omem.service.DecayResult;
import dev.omem.service.MemoryService;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code omem decay}: one lifecycle pass (tiers promoted and demoted, expired memories archived),
 * run by whichever service holds the store: the daemon or a server through {@code POST /v1/decay},
 * else the store in this process. The daemon also runs it by itself every hour.
 */
@Command(
    name = "decay",
    description =
        "Run one lifecycle pass: promote and demote tiers, archive expired memories; print what"
            + " changed.")
final class DecayCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    try (MemoryService s = common.open(false)) {
      DecayResult r = s.decay(CommonOptions.caller());
      PrintWriter out = spec.commandLine().getOut();
      if (common.json) {
        Output.json(out, r.toJson());
      } else {
        out.printf(
            "Examined %d active memories: %d promoted, %d demoted, %d archived (expired)%n",
            r.examined(), r.promoted(), r.demoted(), r.archived());
        for (Map.Entry<String, Long> e : new java.util.TreeMap<>(r.transitions()).entrySet()) {
          out.printf("  %-22s %d%n", e.getKey(), e.getValue());
        }
        out.flush();
      }
    }
    return 0;
  }
}
