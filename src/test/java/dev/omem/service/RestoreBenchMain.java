package dev.omem.service;

import dev.omem.config.OmemConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Throwaway benchmark, run by hand (not a test): restores an omem file into a fresh data directory
 * in process, the model loaded first, and prints memories per second and the CPU time of the
 * restore (all threads of the process, ONNX Runtime's included). BENCHMARKS.md, session 17.
 *
 * <pre>
 * mvn -q -o dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -cp target/classes:target/test-classes:$(cat cp.txt) dev.omem.service.RestoreBenchMain \
 *     FILE.json EMPTY_HOME
 * </pre>
 */
public final class RestoreBenchMain {
  private RestoreBenchMain() {}

  public static void main(String[] args) {
    Path file = Path.of(args[0]);
    Path home = Path.of(args[1]);
    Caller me = new Caller(null, null, "bench", "s-1");
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (LocalMemoryService s =
        LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL))) {
      if (!s.awaitModel(Duration.ofMinutes(5))) {
        throw new IllegalStateException("the model did not load");
      }
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      ImportRecord r =
          s.importFile(me, ImportRequest.ofFile(file, "omem", false, null), ImportProgress.NONE);
      double wall = (System.nanoTime() - t0) / 1e9;
      double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
      System.out.printf(
          java.util.Locale.ROOT,
          "%s: %d imported, %d skipped, %d errors; %.1f s wall, %.1f s CPU, %.1f memories/s,"
              + " %.2f CPU ms per memory%n",
          r.status(),
          r.imported(),
          r.skipped(),
          r.errors().size(),
          wall,
          cpu,
          r.imported() / wall,
          cpu * 1000 / Math.max(1, r.imported()));
    }
  }
}
