package dev.omem.service;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.config.OmemConfig;
import dev.omem.domain.Memory;
import dev.omem.domain.ScoredMemory;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The abstention lane (issue on benchmarks): a made-up project's memories, questions whose answer
 * is stored, and questions about things never stored. At the hooks' injection threshold, answerable
 * questions must still find their memory and the others must inject nothing. Prints the rates
 * around the threshold for BENCHMARKS.md. The threshold is no longer tuned here (it is fitted with
 * the relevance model on the coding lane), so this lane is an independent check: at least 75% of
 * answerable questions hit, at least 90% of the others are quiet.
 */
class AbstentionLaneTest {
  @TempDir Path home;

  record Rates(double hit, double quiet) {}

  @Test
  void theHooksThresholdFindsStoredFactsAndStaysQuietOtherwise() throws Exception {
    JsonNode fixture;
    try (InputStream in = getClass().getResourceAsStream("/abstention/lumen.json")) {
      fixture = new ObjectMapper().readTree(in);
    }
    Caller caller = new Caller(null, fixture.get("project").asText(), "test", null);
    try (LocalMemoryService svc =
        LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL))) {
      assertTrue(svc.awaitModel(Duration.ofMinutes(2)));
      Map<String, String> idOfKey = new HashMap<>();
      for (JsonNode m : fixture.get("memories")) {
        Memory stored = svc.store(caller, StoreRequest.of(m.get("content").asText()));
        idOfKey.put(m.get("key").asText(), stored.id());
      }
      StringBuilder table = new StringBuilder("threshold  hit  quiet\n");
      for (double t = 0.30; t <= 0.701; t += 0.05) {
        Rates r = rates(svc, caller, fixture, idOfKey, t);
        table.append(String.format(Locale.ROOT, "%.2f  %.3f  %.3f%n", t, r.hit(), r.quiet()));
      }
      Rates at = rates(svc, caller, fixture, idOfKey, Limits.injectionThreshold());
      System.out.println(table);
      System.out.printf(
          Locale.ROOT,
          "at %.2f: hit %.3f, quiet %.3f%n",
          Limits.injectionThreshold(),
          at.hit(),
          at.quiet());
      // Since issue 13 the threshold is a probability fitted on the coding lane, never on this
      // lane: here it measured hit 0.829 / quiet 0.967 at 0.60, and with session 8's local
      // hubness 0.857 / 0.967 at 0.58, and at session 9's 0.40 (most hits with quiet >= 0.90 on
      // the coding lane) 0.943 / 0.967 (before, a fused score tuned on this lane: 0.971 / 0.967).
      // The floor below catches a model or threshold gone wrong.
      assertTrue(at.hit() >= 0.75, "answerable questions that hit: " + at.hit() + "\n" + table);
      assertTrue(at.quiet() >= 0.90, "never-stored questions with no injection: " + at.quiet());
    }
  }

  /** Hit: the expected memory is among the top 3 at or above {@code t}; quiet: nothing is. */
  static Rates rates(
      LocalMemoryService svc, Caller caller, JsonNode fixture, Map<String, String> ids, double t) {
    int hits = 0;
    for (JsonNode a : fixture.get("answerable")) {
      List<ScoredMemory> got = injected(svc, caller, a.get("query").asText(), t);
      String want = ids.get(a.get("expect").asText());
      if (got.stream().anyMatch(r -> r.memory().id().equals(want))) {
        hits++;
      }
    }
    int quiet = 0;
    for (JsonNode q : fixture.get("unanswerable")) {
      if (injected(svc, caller, q.asText(), t).isEmpty()) {
        quiet++;
      }
    }
    return new Rates(
        hits / (double) fixture.get("answerable").size(),
        quiet / (double) fixture.get("unanswerable").size());
  }

  static List<ScoredMemory> injected(LocalMemoryService svc, Caller c, String q, double t) {
    return svc.search(c, SearchRequest.builder(q).limit(3).minScore(t).build()).results();
  }
}
