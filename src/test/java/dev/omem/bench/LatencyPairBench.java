package dev.omem.bench;

import dev.omem.config.OmemConfig;
import dev.omem.service.Caller;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.SearchRequest;
import dev.omem.service.StoreRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 15's side by side: in-process store and search latency, the same harness and the same
 * queries for two builds. Not a test: {@code scripts/bench-latency-pair} compiles this class (with
 * {@link SyntheticMemories}) against each build's jar, since it uses only the service's public
 * calls, and alternates the two. It fills {@code size} memories, times 200 stores, then times
 * searches twice: "cold" (200 searches after 20 warm-ups, what {@link LatencyBench} measures: a
 * fresh process's first searches, while the JIT is still compiling the search path) and "steady"
 * (200 more after {@code steadyWarmups} further searches: what a long-lived daemon sees). Each
 * figure beside the searching thread's CPU. Prints one line per figure, {@code name p50 p95
 * cpuP50}, in milliseconds.
 */
public final class LatencyPairBench {
  /** As {@link LatencyBench}: enough for a stable p95 on a 2-core machine. */
  private static final int SAMPLES = 200;

  public static void main(String[] args) throws Exception {
    int size = Integer.parseInt(args.length > 0 ? args[0].replace("k", "000") : "1000");
    int steadyWarmups = args.length > 1 ? Integer.parseInt(args[1]) : 600;
    ThreadMXBean tm = ManagementFactory.getThreadMXBean();
    Path home = Files.createTempDirectory("omem-pair");
    Caller caller = Caller.local("bench/project");
    SyntheticMemories gen = new SyntheticMemories(7);
    try (LocalMemoryService svc =
        LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL))) {
      if (!svc.awaitModel(Duration.ofMinutes(3))) {
        throw new IllegalStateException("model did not load");
      }
      int stored = 0;
      while (stored < size - SAMPLES) {
        List<StoreRequest> batch = new ArrayList<>();
        for (int i = 0; i < 256 && stored < size - SAMPLES; i++, stored++) {
          batch.add(StoreRequest.of(gen.memory()));
        }
        svc.storeAll(caller, batch);
      }
      double[][] store = timed(tm, SAMPLES, () -> svc.store(caller, StoreRequest.of(gen.memory())));
      print("store", store);
      double[][] first = searches(svc, caller, gen, tm, 20);
      print("search-first20", first);
      print("search-cold", searches(svc, caller, gen, tm, SAMPLES));
      for (int i = 0; i < steadyWarmups; i++) {
        svc.search(caller, SearchRequest.of(gen.query()));
      }
      print("search-steady", searches(svc, caller, gen, tm, SAMPLES));
    }
  }

  private static double[][] searches(
      LocalMemoryService svc, Caller caller, SyntheticMemories gen, ThreadMXBean tm, int n) {
    return timed(tm, n, () -> svc.search(caller, SearchRequest.of(gen.query())));
  }

  /** Wall and thread CPU milliseconds of {@code n} runs of {@code op}. */
  private static double[][] timed(ThreadMXBean tm, int n, Runnable op) {
    double[][] out = new double[2][n];
    for (int i = 0; i < n; i++) {
      long c = tm.getCurrentThreadCpuTime();
      long s = System.nanoTime();
      op.run();
      out[0][i] = (System.nanoTime() - s) / 1e6;
      out[1][i] = (tm.getCurrentThreadCpuTime() - c) / 1e6;
    }
    return out;
  }

  private static void print(String name, double[][] wallAndCpu) {
    System.out.printf(
        Locale.ROOT,
        "%s %.1f %.1f %.1f%n",
        name,
        LatencyBench.pct(wallAndCpu[0], 50),
        LatencyBench.pct(wallAndCpu[0], 95),
        LatencyBench.pct(wallAndCpu[1], 50));
  }
}
