package dev.omem.index;

import dev.omem.bench.UpkeepBench;
import dev.omem.domain.MemoryFilter;
import dev.omem.store.StoredMemory;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Benchmark run by hand (not a test, issue 19, session 15): the CPU of a stream of stores and
 * searches, each search after a write, with the reader reopened before every search ({@code
 * reopen}: main's searches) or every {@link UnreadWrites#REOPEN_AT} writes with the unread writes
 * laid over it ({@code overlay}: what the index synchronizer does now). Opens a COPY of an index
 * (it is written); prints the process CPU, merges included (close waits for them).
 *
 * <pre>
 * cp -r STORE/index /tmp/ix &amp;&amp; java -XX:TieredStopAtLevel=1 -cp target/omem.jar:target/test-classes \
 *   dev.omem.index.OverlaidSearchBench /tmp/ix reopen|overlay WRITES
 * </pre>
 */
public final class OverlaidSearchBench {
  private static final String[] WORDS = {
    "cache",
    "retry",
    "parseConfigFile",
    "timeout",
    "database",
    "index_writer",
    "token",
    "deploy",
    "kafka",
    "queue",
    "worker",
    "HttpClient",
    "schema",
    "migration",
    "latency",
    "gateway",
    "billing",
    "service",
    "postgres",
    "redis",
    "ingest",
    "auth",
    "session",
    "limit",
    "backoff",
    "pool"
  };

  private OverlaidSearchBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    boolean reopenEach = args[1].equals("reopen");
    int writes = Integer.parseInt(args[2]);
    Random rnd = new Random(1);
    TestVectors vectors = new TestVectors(384, 2);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    int found = 0;
    try (MemoryIndex index = MemoryIndex.open(dir)) {
      String tenant = "bench";
      MemoryFilter filter = MemoryFilter.activeOf(tenant);
      long seq = index.appliedSeq();
      for (int i = 0; i < writes; i++) {
        StoredMemory s = vectors.stored(tenant, "global", UpkeepBench.unitVector(rnd));
        s =
            new StoredMemory(
                s.memory().toBuilder().content(sentence(rnd, 12)).build(), s.vector(), "m");
        index.upsert(s, "m");
        index.markApplied(++seq);
        if (reopenEach || index.manyUnreadWrites()) {
          index.refresh();
        }
        found += index.searchText(sentence(rnd, 5), List.of(filter), 100).size();
        found += index.searchVector(UpkeepBench.unitVector(rnd), List.of(filter), 100).size();
      }
    }
    System.out.printf(
        "%s: process CPU %.2f s for %d writes and %d searches (%d hits)%n",
        args[1], (os.getProcessCpuTime() - cpu0) / 1e9, writes, 2 * writes, found);
  }

  private static String sentence(Random rnd, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(WORDS[rnd.nextInt(WORDS.length)]).append(' ');
    }
    return b.toString().trim();
  }
}
