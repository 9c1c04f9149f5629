package dev.omem.service;

import dev.omem.bench.SyntheticMemories;
import dev.omem.config.OmemConfig;
import dev.omem.domain.MemoryType;
import dev.omem.domain.SearchMode;
import dev.omem.index.IndexSynchronizer;
import dev.omem.ingest.Decision;
import dev.omem.ingest.ReconcileJudge;
import dev.omem.store.MemoryRepository;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * One store, phase by phase (issue 19, session 17): the steps of {@link MemoryWriter#fact} for an
 * explicit store, run one after another on the calling thread with its CPU time read between them
 * (the draft and its redaction, the embedding, the neighbour search alone and with its rows, the
 * rules, the duplicate look-up, the re-check, the plan with the screen, the SQLite commit, the
 * index catch-up). Not the service's own call (no lock, no auto-share), so its total is a little
 * under {@code LocalMemoryService.store}'s. Usage, on a copy of a store (it writes):
 *
 * <pre>java [-XX:TieredStopAtLevel=1] -cp target/omem.jar:target/test-classes
 *   dev.omem.service.StorePhaseBench STORE_HOME PROJECT STORES</pre>
 *
 * Prints each phase's thread CPU p50 and mean over the last half of the stores.
 */
public final class StorePhaseBench {
  private StorePhaseBench() {}

  private static final String[] PHASES = {
    "draft",
    "embed",
    "kNN alone",
    "neighbours",
    "decide",
    "duplicate",
    "recheck",
    "plan",
    "SQLite",
    "catch-up"
  };

  public static void main(String[] a) throws Exception {
    Path home = Path.of(a[0]);
    Caller caller = Caller.local(a[1]);
    int n = Integer.parseInt(a[2]);
    var threads = ManagementFactory.getThreadMXBean();
    double[][] t = new double[PHASES.length][n];
    try (LocalMemoryService svc =
        LocalMemoryService.open(
            new OmemConfig(home, OmemConfig.DEFAULT_MODEL, SearchMode.HYBRID))) {
      svc.awaitModel(Duration.ofMinutes(5));
      MemoryWriter w = field(svc, "writer");
      FactWriter facts = field(w, "facts");
      MemoryRepository repo = field(w, "repo");
      Supplier<IndexSynchronizer> index = field(w, "index");
      NeighbourRecheck recheck = field(w, "recheck");
      SyntheticMemories texts = new SyntheticMemories(11);
      for (int i = 0; i < n; i++) {
        long[] c = new long[PHASES.length + 1];
        c[0] = threads.getCurrentThreadCpuTime();
        StoreDraft d = StoreDraft.of(StoreRequest.of(texts.memory()), caller.project());
        String tenant = svc.tenant(caller);
        FactWriter.Candidate cand = d.candidate(0.5, MemoryType.PINNED);
        c[1] = threads.getCurrentThreadCpuTime();
        FactWriter.Prepared p = facts.embed(cand);
        c[2] = threads.getCurrentThreadCpuTime();
        index
            .get()
            .searchNeighbours(
                p.vector(), NeighbourRecheck.filter(tenant, p), FactWriter.NEIGHBOURS);
        c[3] = threads.getCurrentThreadCpuTime();
        FactWriter.Prepared found = facts.withNeighbours(tenant, p, false);
        c[4] = threads.getCurrentThreadCpuTime();
        ReconcileJudge.Verdict v = facts.decide(found);
        c[5] = threads.getCurrentThreadCpuTime();
        var same = repo.findActiveDuplicate(tenant, cand.scope(), cand.content());
        c[6] = threads.getCurrentThreadCpuTime();
        FactWriter.Prepared now =
            recheck.since(tenant, found).orElseGet(() -> facts.withNeighbours(tenant, found, true));
        if (same.isPresent()) {
          v = new ReconcileJudge.Verdict(Decision.SKIP, same.get().id(), null);
        }
        c[7] = threads.getCurrentThreadCpuTime();
        FactWriter.Plan plan = facts.plan(tenant, caller, now, v);
        c[8] = threads.getCurrentThreadCpuTime();
        repo.apply(plan.write(), null);
        c[9] = threads.getCurrentThreadCpuTime();
        index.get().catchUp();
        c[10] = threads.getCurrentThreadCpuTime();
        for (int k = 0; k < PHASES.length; k++) {
          t[k][i] = (c[k + 1] - c[k]) / 1e6;
        }
      }
    }
    double[] total = new double[n - n / 2];
    for (int k = 0; k < PHASES.length; k++) {
      double[] s = Arrays.copyOfRange(t[k], n / 2, n);
      for (int i = 0; i < s.length; i++) {
        total[i] += s[i];
      }
      print(PHASES[k], s);
    }
    print("total", total);
  }

  private static void print(String phase, double[] s) {
    double[] sorted = s.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "%-10s p50 %6.3f ms  mean %6.3f ms%n",
        phase, sorted[sorted.length / 2], Arrays.stream(s).average().orElse(0));
  }

  @SuppressWarnings("unchecked")
  private static <T> T field(Object o, String name) throws ReflectiveOperationException {
    Field f = o.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return (T) f.get(o);
  }
}
