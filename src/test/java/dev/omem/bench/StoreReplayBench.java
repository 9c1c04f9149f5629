package dev.omem.bench;

import dev.omem.config.OmemConfig;
import dev.omem.domain.Memory;
import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchMode;
import dev.omem.domain.SearchOutcome;
import dev.omem.service.Caller;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.SearchRequest;
import dev.omem.service.StoreRequest;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stores then searches through {@link LocalMemoryService}, one call at a time, and writes each
 * call's outcome with the ids this run made masked (issue 19, session 18): two builds replayed on
 * copies of one store must write the same file, and the calling thread's CPU per call (p50 / mean
 * over the last half) is printed. Usage, on a copy of a store (it writes):
 *
 * <pre>java [-XX:TieredStopAtLevel=1] -cp target/omem.jar:target/test-classes
 *   dev.omem.bench.StoreReplayBench STORE_HOME PROJECT STORES SEARCHES OUTCOMES_FILE</pre>
 */
public final class StoreReplayBench {
  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private StoreReplayBench() {}

  public static void main(String[] a) throws Exception {
    Path home = Path.of(a[0]);
    Caller caller = Caller.local(a[1]);
    int stores = Integer.parseInt(a[2]);
    int searches = Integer.parseInt(a[3]);
    var threads = ManagementFactory.getThreadMXBean();
    Map<String, String> made = new HashMap<>();
    double[] storeCpu = new double[stores];
    double[] searchCpu = new double[searches];
    try (LocalMemoryService svc =
            LocalMemoryService.open(
                new OmemConfig(home, OmemConfig.DEFAULT_MODEL, SearchMode.HYBRID));
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(a[4])))) {
      svc.awaitModel(Duration.ofMinutes(5));
      SyntheticMemories texts = new SyntheticMemories(11);
      for (int i = 0; i < stores; i++) {
        String text = texts.memory();
        long c0 = threads.getCurrentThreadCpuTime();
        Memory m = svc.store(caller, StoreRequest.of(text));
        storeCpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
        if (!made.containsKey(m.id()) && m.version() == 1) {
          made.put(m.id(), "#" + made.size());
        }
        out.println(
            "store "
                + i
                + " "
                + mask(
                    m.id()
                        + " "
                        + m.state()
                        + " v"
                        + m.version()
                        + " "
                        + m.relations()
                        + " "
                        + m.supersededBy()
                        + " "
                        + m.content().hashCode(),
                    made));
      }
      for (int i = 0; i < searches; i++) {
        String q = texts.query();
        long c0 = threads.getCurrentThreadCpuTime();
        SearchOutcome r = svc.search(caller, SearchRequest.of(q));
        searchCpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
        StringBuilder line = new StringBuilder("search " + i);
        for (ScoredMemory s : r.results()) {
          line.append(' ').append(s.memory().id()).append(String.format(":%.4f", s.score()));
        }
        out.println(mask(line.toString(), made));
      }
    }
    print("store", storeCpu);
    print("search", searchCpu);
  }

  private static String mask(String s, Map<String, String> made) {
    Matcher m = UUID.matcher(s);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(b, Matcher.quoteReplacement(made.getOrDefault(m.group(), m.group())));
    }
    m.appendTail(b);
    return b.toString();
  }

  private static void print(String what, double[] all) {
    if (all.length == 0) {
      return;
    }
    double[] s = Arrays.copyOfRange(all, all.length / 2, all.length);
    double[] sorted = s.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "%-7s thread CPU p50 %6.3f ms  mean %6.3f ms (last %d)%n",
        what, sorted[sorted.length / 2], Arrays.stream(s).average().orElse(0), s.length);
  }
}
