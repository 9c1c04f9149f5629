package dev.omem.bench;

import dev.omem.config.OmemConfig;
import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchMode;
import dev.omem.service.Caller;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.SearchRequest;
import dev.omem.service.StoreRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What a growing store costs and whether recall holds (issue 19), in-process at each size: hit@10
 * and hit@50 of {@link ParaphraseCorpus}'s 200 paraphrased questions, store and search p50/p95, and
 * bytes per memory. Not a test: run it with {@code scripts/bench-scale}.
 *
 * <p>A store of each size is built once into {@code --stores=DIR} ({@code paraphrase-<n>}: the 200
 * targets spread evenly among {@link SyntheticMemories} fillers) and every run works on a fresh
 * copy of it, so a 100k store (minutes to fill) is built once for any number of runs and builds:
 * the side-by-side script runs the previous jar on the same copy.
 */
public final class ScaleBench {
  /** Timed operations per size, as {@link LatencyBench}. */
  private static final int SAMPLES = 200;

  private static final int FILL_BATCH = 256;

  /** Results asked for per question: 50 unless {@code --limit=N} (10 is the service's default). */
  private static int limit = 50;

  /**
   * With {@code --dump=FILE}: one line per question (its index, the target's place or -1, the
   * result ids in order), for comparing which memories displace a target between two builds.
   */
  private static Path dump;

  static final long CORPUS_SEED = 19;
  private static final Caller CALLER = Caller.local("bench/project");

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = new ArrayList<>();
    Path stores = Path.of("target/scale-stores");
    String label = "";
    SearchMode mode = SearchMode.HYBRID;
    boolean recallOnly = false;
    for (String a : args) {
      if (a.startsWith("--stores=")) {
        stores = Path.of(a.substring(9));
      } else if (a.startsWith("--mode=")) {
        // An ablation for the recall figures: which retriever loses the target as the store grows.
        mode = SearchMode.valueOf(a.substring(7).toUpperCase(Locale.ROOT));
      } else if (a.startsWith("--limit=")) {
        limit = Integer.parseInt(a.substring("--limit=".length()));
      } else if (a.startsWith("--dump=")) {
        dump = Path.of(a.substring("--dump=".length()));
      } else if (a.equals("--recall-only")) {
        recallOnly = true;
      } else if (a.startsWith("--label=")) {
        label = a.substring(8);
      } else {
        sizes.add(Integer.parseInt(a.replace("k", "000")));
      }
    }
    if (sizes.isEmpty()) {
      sizes = List.of(1_000, 10_000, 100_000);
    }
    for (int size : sizes) {
      Path kept = stores.resolve("paraphrase-" + size);
      if (!Files.isRegularFile(kept.resolve("targets.txt"))) {
        build(kept, size);
      }
      measure(kept, size, label, mode, recallOnly);
    }
  }

  /** Fills a new store with {@code size} memories, the targets among them; notes their ids. */
  static void build(Path kept, int size) throws Exception {
    wipe(kept);
    Files.createDirectories(kept);
    List<ParaphraseCorpus.Target> targets = ParaphraseCorpus.targets(CORPUS_SEED);
    SyntheticMemories fillers = new SyntheticMemories(7);
    List<String> ids = new ArrayList<>();
    long t0 = System.nanoTime();
    try (LocalMemoryService svc = open(kept, SearchMode.HYBRID)) {
      int stored = 0;
      for (int t = 0; t < targets.size(); t++) {
        // Target t goes in the middle of its 1/200th of the store.
        int at = (int) ((t + 0.5) * size / targets.size());
        while (stored < at) {
          int n = Math.min(FILL_BATCH, at - stored);
          List<StoreRequest> batch = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            batch.add(StoreRequest.of(fillers.memory()));
          }
          svc.storeAll(CALLER, batch);
          stored += n;
        }
        ids.add(svc.storeAll(CALLER, List.of(StoreRequest.of(targets.get(t).fact()))).get(0).id());
        stored++;
      }
      while (stored < size) {
        int n = Math.min(FILL_BATCH, size - stored);
        List<StoreRequest> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          batch.add(StoreRequest.of(fillers.memory()));
        }
        svc.storeAll(CALLER, batch);
        stored += n;
      }
    }
    Files.write(kept.resolve("targets.txt"), ids);
    System.err.printf(
        Locale.ROOT, "built %,d memories in %.0f s%n", size, (System.nanoTime() - t0) / 1e9);
  }

  static void measure(Path kept, int size, String label, SearchMode mode, boolean recallOnly)
      throws Exception {
    Path home = Files.createTempDirectory("omem-scale");
    try {
      copy(kept, home);
      List<String> ids = Files.readAllLines(home.resolve("targets.txt"));
      List<ParaphraseCorpus.Target> targets = ParaphraseCorpus.targets(CORPUS_SEED);
      long bytes = storeBytes(home);
      double load = loadAverage();
      try (LocalMemoryService svc = open(home, mode)) {
        int hit10 = 0;
        int hit50 = 0;
        List<String> lines = new ArrayList<>();
        for (int t = 0; t < targets.size(); t++) {
          // No floor: the ranking itself, as the hit@10 and "not in the top 50".
          SearchRequest r =
              SearchRequest.builder(targets.get(t).question())
                  .limit(limit)
                  .minScore(0.0)
                  .countAccess(false)
                  .build();
          List<ScoredMemory> results = svc.search(CALLER, r).results();
          int rank = -1;
          for (int i = 0; i < results.size(); i++) {
            if (results.get(i).memory().id().equals(ids.get(t))) {
              rank = i;
              break;
            }
          }
          hit10 += rank >= 0 && rank < 10 ? 1 : 0;
          hit50 += rank >= 0 ? 1 : 0;
          lines.add(
              t
                  + "\t"
                  + rank
                  + "\t"
                  + String.join(" ", results.stream().map(m -> m.memory().id()).toList()));
        }
        if (dump != null) {
          Files.write(dump, lines);
        }
        if (recallOnly) {
          System.out.printf(
              Locale.ROOT,
              "| %s (%s) | %,d | %.3f | %.3f |%n",
              label,
              mode.name().toLowerCase(Locale.ROOT),
              size,
              hit10 / (double) targets.size(),
              hit50 / (double) targets.size());
          return;
        }
        SyntheticMemories gen = new SyntheticMemories(11);
        double[] store = new double[SAMPLES];
        // CPU beside the wall time, which a loaded machine fills with queueing: the calling
        // thread's (the store itself but ONNX Runtime's own threads) and the whole process's.
        double[] storeCpu = new double[SAMPLES];
        java.lang.management.ThreadMXBean threads =
            java.lang.management.ManagementFactory.getThreadMXBean();
        long process0 = processCpuNanos();
        for (int i = 0; i < SAMPLES; i++) {
          String text = gen.memory();
          long s = System.nanoTime();
          long c = threads.getCurrentThreadCpuTime();
          svc.store(CALLER, StoreRequest.of(text));
          storeCpu[i] = (threads.getCurrentThreadCpuTime() - c) / 1e6;
          store[i] = (System.nanoTime() - s) / 1e6;
        }
        double processPerStore = (processCpuNanos() - process0) / 1e6 / SAMPLES;
        System.err.printf(
            Locale.ROOT,
            "%s %,d: store thread CPU p50 %.2f ms, mean %.2f ms; process CPU per store %.2f ms%n",
            label,
            size,
            LatencyBench.pct(storeCpu, 50),
            java.util.Arrays.stream(storeCpu).average().orElse(0),
            processPerStore);
        for (int i = 0; i < 20; i++) {
          svc.search(CALLER, SearchRequest.of(gen.query()));
        }
        double[] search = new double[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
          String q = gen.query();
          long s = System.nanoTime();
          svc.search(CALLER, SearchRequest.of(q));
          search[i] = (System.nanoTime() - s) / 1e6;
        }
        System.out.printf(
            Locale.ROOT,
            "| %s | %,d | %.3f | %.3f | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.0f B | %.1f → %.1f |%n",
            label,
            size,
            hit10 / (double) targets.size(),
            hit50 / (double) targets.size(),
            LatencyBench.pct(store, 50),
            LatencyBench.pct(store, 95),
            LatencyBench.pct(search, 50),
            LatencyBench.pct(search, 95),
            bytes / (double) size,
            load,
            loadAverage());
      }
    } finally {
      wipe(home);
    }
  }

  private static LocalMemoryService open(Path home, SearchMode mode) {
    LocalMemoryService svc =
        LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL, mode));
    if (!svc.awaitModel(Duration.ofMinutes(5))) {
      svc.close();
      throw new IllegalStateException("model did not load");
    }
    return svc;
  }

  /** The store's own bytes: SQLite and the index, not the unpacked natives in cache/. */
  static long storeBytes(Path home) throws IOException {
    try (Stream<Path> files = Files.walk(home)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> !home.relativize(p).startsWith("cache"))
          .filter(p -> !p.getFileName().toString().equals("targets.txt"))
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double loadAverage() throws IOException {
    return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(
              p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private static void wipe(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
