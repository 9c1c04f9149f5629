package dev.omem.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.Scope;
import dev.omem.domain.SearchOutcome;
import dev.omem.retrieve.SearchGate;
import dev.omem.service.Caller;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.SearchRequest;
import dev.omem.service.StoreRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Session 20 (docs/relevance/threshold-rule.md, "Session 20: the search gate and statement
 * queries"): each dev project's memories in their own store, each memory's own text searched with
 * the default {@code memory_search} (no min_score, limit 3). Diagnosis only: run once with the
 * shipped search gate and once with {@code OMEM_SEARCH_GATE_WEIGHTS=none}.
 */
final class SelfQueryProbe {
  private SelfQueryProbe() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = RelevanceFit.options(args);
    Path data = Path.of(o.getOrDefault("data", "../shared/bench/coding-recall-dev.json"));
    int limit = Integer.parseInt(o.getOrDefault("limit", "3"));
    JsonNode root = new ObjectMapper().readTree(data.toFile());
    String gate = SearchGate.shipped().none() ? "none" : "shipped";
    System.out.println(
        "| project (gate "
            + gate
            + ") | memories | answered | itself first | itself in top "
            + limit
            + " | gate closed | mean results |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    long[] all = new long[6];
    boolean leaveOut = o.containsKey("leave-self-out");
    for (JsonNode project : root.get("projects")) {
      long[] c = leaveOut ? leaveSelfOut(project, limit) : probe(project, limit);
      for (int i = 0; i < c.length; i++) {
        all[i] += c[i];
      }
      row(project.get("id").asText(), c);
    }
    row("**all**", all);
  }

  private static void row(String name, long[] c) {
    double n = c[0];
    System.out.printf(
        Locale.ROOT,
        "| %s | %d | %.3f | %.3f | %.3f | %.3f | %.2f |%n",
        name,
        c[0],
        c[1] / n,
        c[2] / n,
        c[3] / n,
        c[4] / n,
        c[5] / n);
  }

  /**
   * The variant with each memory left out of its own store: one project key per left-out memory,
   * holding the project's other memories. Counts as {@link #probe} (itself never found).
   */
  private static long[] leaveSelfOut(JsonNode project, int limit) throws Exception {
    String pid = project.get("id").asText();
    long[] c = new long[6];
    List<JsonNode> mems = new ArrayList<>();
    project.get("memories").forEach(mems::add);
    try (BenchStore store = BenchStore.open("omem-self-out-")) {
      LocalMemoryService svc = store.service();
      String tenant = null;
      for (int i = 0; i < mems.size(); i++) {
        String key = pid + "-out" + i;
        for (int j = 0; j < mems.size(); j++) {
          if (j != i) {
            tenant =
                svc.store(
                        Caller.local(key),
                        new StoreRequest(
                            mems.get(j).get("text").asText(),
                            null,
                            null,
                            null,
                            Scope.project(key),
                            null))
                    .tenantId();
          }
        }
      }
      for (int i = 0; i < mems.size(); i++) {
        String key = pid + "-out" + i;
        MemoryFilter f = MemoryFilter.builder(tenant).scopes(Set.of(Scope.project(key))).build();
        store.awaitCandidates(f, mems.size() - 1, key);
        SearchOutcome out =
            svc.search(
                Caller.local(key),
                SearchRequest.builder(mems.get(i).get("text").asText())
                    .limit(limit)
                    .countAccess(false)
                    .build());
        c[0]++;
        c[1] += out.results().isEmpty() ? 0 : 1;
        c[4] += SearchGate.CLOSED.equals(out.reason()) ? 1 : 0;
        c[5] += out.results().size();
      }
    }
    return c;
  }

  /** Counts: memories, answered, itself first, itself in the top, gate closed; results summed. */
  private static long[] probe(JsonNode project, int limit) throws Exception {
    String pid = project.get("id").asText();
    long[] c = new long[6];
    try (BenchStore store = BenchStore.open("omem-self-query-")) {
      LocalMemoryService svc = store.service();
      Caller caller = Caller.local(pid);
      Map<String, String> idOf = new HashMap<>();
      String tenant = null;
      for (JsonNode m : project.get("memories")) {
        Memory stored =
            svc.store(
                caller,
                new StoreRequest(
                    m.get("text").asText(), null, null, null, Scope.project(pid), null));
        idOf.put(m.get("id").asText(), stored.id());
        tenant = stored.tenantId();
      }
      MemoryFilter f = MemoryFilter.builder(tenant).scopes(Set.of(Scope.project(pid))).build();
      store.awaitCandidates(f, idOf.size(), pid);
      for (JsonNode m : project.get("memories")) {
        String self = idOf.get(m.get("id").asText());
        SearchOutcome out =
            svc.search(
                caller,
                SearchRequest.builder(m.get("text").asText())
                    .limit(limit)
                    .countAccess(false)
                    .build());
        c[0]++;
        var ids = out.results().stream().map(r -> r.memory().id()).toList();
        c[5] += ids.size();
        c[1] += ids.isEmpty() ? 0 : 1;
        c[2] += !ids.isEmpty() && ids.get(0).equals(self) ? 1 : 0;
        c[3] += ids.contains(self) ? 1 : 0;
        c[4] += SearchGate.CLOSED.equals(out.reason()) ? 1 : 0;
      }
    }
    return c;
  }
}
