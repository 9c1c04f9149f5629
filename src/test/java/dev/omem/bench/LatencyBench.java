package dev.omem.bench;

import dev.omem.config.OmemConfig;
import dev.omem.service.Caller;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.SearchRequest;
import dev.omem.service.StoreRequest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Store and search latency at growing store sizes, and the time to the MCP initialize answer. Not a
 * test: run it with {@code scripts/bench-latency}. Prints a table for BENCHMARKS.md.
 */
public final class LatencyBench {
  /** Timed operations per size: enough for a stable p95 on a 2-core machine. */
  private static final int SAMPLES = 200;

  private static final int FILL_BATCH = 256;

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = new ArrayList<>();
    String jar = "target/omem.jar";
    for (String a : args) {
      if (a.startsWith("--jar=")) {
        jar = a.substring(6);
      } else {
        sizes.add(Integer.parseInt(a.replace("k", "000")));
      }
    }
    if (sizes.isEmpty()) {
      sizes = List.of(1_000, 10_000, 100_000);
    }
    System.out.println(
        "machine: "
            + Runtime.getRuntime().availableProcessors()
            + " cores, java "
            + System.getProperty("java.version"));
    System.out.printf(
        Locale.ROOT,
        "initialize (cold JVM, fresh data dir), median of 5: %.0f ms%n",
        initializeMillis(jar));

    Path home = Files.createTempDirectory("omem-bench");
    Caller caller = Caller.local("bench/project");
    SyntheticMemories gen = new SyntheticMemories(7);
    System.out.println();
    System.out.println(
        "| memories | store p50 | store p95 | search p50 | search p95 | fill rate |");
    System.out.println("|---|---|---|---|---|---|");
    try (LocalMemoryService svc =
        LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL))) {
      if (!svc.awaitModel(Duration.ofMinutes(2))) {
        throw new IllegalStateException("model did not load");
      }
      long stored = 0;
      for (int size : sizes) {
        long t0 = System.nanoTime();
        long filled = 0;
        while (stored < size - SAMPLES) {
          int n = (int) Math.min(FILL_BATCH, size - SAMPLES - stored);
          List<StoreRequest> batch = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            batch.add(StoreRequest.of(gen.memory()));
          }
          svc.storeAll(caller, batch);
          stored += n;
          filled += n;
        }
        double fillRate = filled / Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
        double[] store = new double[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
          String text = gen.memory();
          long s = System.nanoTime();
          svc.store(caller, StoreRequest.of(text));
          store[i] = (System.nanoTime() - s) / 1e6;
        }
        stored += SAMPLES;
        // Warm the searcher at this size before timing (a new segment opens after the fill).
        for (int i = 0; i < 20; i++) {
          svc.search(caller, SearchRequest.of(gen.query()));
        }
        double[] search = new double[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
          String q = gen.query();
          long s = System.nanoTime();
          svc.search(caller, SearchRequest.of(q));
          search[i] = (System.nanoTime() - s) / 1e6;
        }
        System.out.printf(
            Locale.ROOT,
            "| %,d | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %s |%n",
            stored,
            pct(store, 50),
            pct(store, 95),
            pct(search, 50),
            pct(search, 95),
            filled == 0 ? "-" : String.format(Locale.ROOT, "%.0f/s", fillRate));
      }
    }
  }

  static double pct(double[] xs, int p) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
  }

  /** Spawns {@code java -jar omem.jar mcp} and times the answer to an initialize request. */
  static double initializeMillis(String jar) throws Exception {
    double[] runs = new double[5];
    for (int i = 0; i < runs.length; i++) {
      Path home = Files.createTempDirectory("omem-init");
      ProcessBuilder pb = new ProcessBuilder("java", "-jar", jar, "mcp");
      pb.environment().put("OMEM_HOME", home.toString());
      pb.environment().put("OMEM_DAEMON", "off"); // the store in-process, as measured before
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
      long t0 = System.nanoTime();
      Process p = pb.start();
      try (OutputStream in = p.getOutputStream();
          BufferedReader out =
              new BufferedReader(
                  new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        in.write(
            ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}\n")
                .getBytes(StandardCharsets.UTF_8));
        in.flush();
        String line = out.readLine();
        runs[i] = (System.nanoTime() - t0) / 1e6;
        if (line == null || !line.contains("\"result\"")) {
          throw new IllegalStateException("no initialize answer: " + line);
        }
      } finally {
        p.destroy();
        p.waitFor();
      }
    }
    return pct(runs, 50);
  }
}
