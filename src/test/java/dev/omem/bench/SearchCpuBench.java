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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A search's cost as CPU time, which a loaded machine moves far less than wall time: the calling
 * thread's CPU per search (p50, mean) and the whole process's CPU over the searches (ONNX Runtime's
 * own threads and the access counter included). Not a test. It uses only the service's public
 * calls, so it compiles against an older build too (issue 15's side by side):
 *
 * <pre>
 * javac -d /tmp/b -cp OLD/target/omem.jar:OLD/target/test-classes SearchCpuBench.java
 * java -cp /tmp/b:OLD/target/omem.jar:OLD/target/test-classes dev.omem.bench.SearchCpuBench 1000 300
 * java -cp target/omem.jar:target/test-classes dev.omem.bench.SearchCpuBench 1000 300
 * java -cp target/omem.jar:target/test-classes dev.omem.bench.SearchCpuBench 1000 150 repeat
 * </pre>
 *
 * <p>With {@code repeat}, each query is searched twice in a row and the two searches are reported
 * apart: what a repeated query costs (issue 19, session 17: the kept query vectors).
 */
public final class SearchCpuBench {
  public static void main(String[] args) throws Exception {
    int size = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    ThreadMXBean tm = ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Path home = Files.createTempDirectory("omem-cpu");
    Caller caller = Caller.local("bench/project");
    SyntheticMemories gen = new SyntheticMemories(7);
    try (LocalMemoryService svc =
        LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL))) {
      svc.awaitModel(Duration.ofMinutes(3));
      int stored = 0;
      while (stored < size) {
        List<StoreRequest> batch = new ArrayList<>();
        for (int i = 0; i < 200 && stored < size; i++, stored++)
          batch.add(StoreRequest.of(gen.memory()));
        svc.storeAll(caller, batch);
      }
      for (int i = 0; i < 50; i++) svc.search(caller, SearchRequest.of(gen.query()));
      String[] qs = new String[samples];
      for (int i = 0; i < samples; i++) qs[i] = gen.query();
      boolean repeat = args.length > 2 && args[2].equals("repeat");
      int passes = repeat ? 2 : 1;
      double[][] wall = new double[passes][samples];
      double[][] cpu = new double[passes][samples];
      long[] proc = new long[passes];
      for (int i = 0; i < samples; i++) {
        for (int k = 0; k < passes; k++) {
          long p = os.getProcessCpuTime();
          long c = tm.getCurrentThreadCpuTime();
          long s = System.nanoTime();
          svc.search(caller, SearchRequest.of(qs[i]));
          wall[k][i] = (System.nanoTime() - s) / 1e6;
          cpu[k][i] = (tm.getCurrentThreadCpuTime() - c) / 1e6;
          proc[k] += os.getProcessCpuTime() - p;
        }
      }
      for (int k = 0; k < passes; k++) {
        System.out.printf(
            Locale.ROOT,
            "%ssearch wall p50 %.2f ms | thread CPU p50 %.2f ms mean %.2f | process CPU per search"
                + " %.2f ms%n",
            repeat ? (k == 0 ? "first " : "same again: ") : "",
            pct(wall[k], 50),
            pct(cpu[k], 50),
            Arrays.stream(cpu[k]).average().orElse(0),
            proc[k] / 1e6 / samples);
      }
    }
  }

  static double pct(double[] xs, int p) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
  }
}
