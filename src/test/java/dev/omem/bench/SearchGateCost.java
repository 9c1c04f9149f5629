package dev.omem.bench;

import dev.omem.config.OmemConfig;
import dev.omem.domain.SearchMode;
import dev.omem.domain.SearchOutcome;
import dev.omem.service.Caller;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.SearchRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Session 20 (issue 13): what a default {@code memory_search} costs with the search gate against
 * the same search decided by the shipped floor (an explicit {@code min_score} of the shipped floor
 * reads the same path as {@code OMEM_SEARCH_GATE_WEIGHTS=none}), alternated call by call in one
 * JVM: the caller thread's CPU and the whole process's, and the results each returns.
 *
 * <p>Run on a copy of a {@link ScaleBench} store (it is opened and written to): java -Xmx2g -cp
 * target/omem.jar:target/test-classes dev.omem.bench.SearchGateCost STORE_DIR [rounds]
 * [count_access]
 */
public final class SearchGateCost {
  private SearchGateCost() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    boolean count = args.length <= 2 || Boolean.parseBoolean(args[2]);
    List<String> qs =
        ParaphraseCorpus.targets(ScaleBench.CORPUS_SEED).stream()
            .map(ParaphraseCorpus.Target::question)
            .toList();
    Caller caller = Caller.local("bench/project");
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (LocalMemoryService svc =
        LocalMemoryService.open(
            new OmemConfig(home, OmemConfig.DEFAULT_MODEL, SearchMode.HYBRID))) {
      if (!svc.awaitModel(Duration.ofMinutes(5))) {
        throw new IllegalStateException("model did not load");
      }
      double floor = dev.omem.service.Limits.defaultMinScore();
      for (String q : qs.subList(0, 40)) { // warm-up, both ways
        svc.search(caller, request(q, null, count));
        svc.search(caller, request(q, floor, count));
      }
      long[] thread = new long[2];
      long[] process = new long[2];
      long[] results = new long[2];
      double[][] stages = new double[2][];
      List<String> names = null;
      int n = 0;
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < qs.size(); i++) {
          for (int k = 0; k < 2; k++) {
            int way = (i + r + k) % 2; // ABBA-like: each way first half the time
            long t0 = threads.getCurrentThreadCpuTime();
            long p0 = os.getProcessCpuTime();
            SearchOutcome out =
                svc.search(caller, request(qs.get(i), way == 0 ? null : floor, count));
            thread[way] += threads.getCurrentThreadCpuTime() - t0;
            process[way] += os.getProcessCpuTime() - p0;
            results[way] += out.results().size();
            if (names == null) {
              names = out.trace().stages().stream().map(s -> s.name()).toList();
              stages[0] = new double[names.size() + 4];
              stages[1] = new double[names.size() + 4];
            }
            for (var s : out.trace().stages()) {
              int j = names.indexOf(s.name());
              if (j >= 0) {
                stages[way][j] += s.durationMs();
              }
            }
          }
          n++;
        }
      }
      System.out.printf(
          Locale.ROOT,
          "%d searches each way, count_access %s%n| | gate (default) | floor %.2f |%n|---|---:|---:|%n",
          n,
          count,
          floor);
      System.out.printf(
          Locale.ROOT,
          "| caller thread CPU, ms a search | %.3f | %.3f |%n",
          thread[0] / 1e6 / n,
          thread[1] / 1e6 / n);
      System.out.printf(
          Locale.ROOT,
          "| process CPU, ms a search | %.3f | %.3f |%n",
          process[0] / 1e6 / n,
          process[1] / 1e6 / n);
      System.out.printf(
          Locale.ROOT,
          "| results a search | %.2f | %.2f |%n",
          (double) results[0] / n,
          (double) results[1] / n);
      for (int j = 0; j < names.size(); j++) {
        System.out.printf(
            Locale.ROOT,
            "| stage %s, wall ms | %.3f | %.3f |%n",
            names.get(j),
            stages[0][j] / n,
            stages[1][j] / n);
      }
    }
  }

  private static SearchRequest request(String q, Double minScore, boolean count) {
    return SearchRequest.builder(q)
        .minScore(minScore)
        .includeTrace(true)
        .countAccess(count)
        .build();
  }
}
