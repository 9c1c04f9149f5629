package dev.omem.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omem.config.OmemConfig;
import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchOutcome;
import dev.omem.hooks.HookEvent;
import dev.omem.hooks.HookHandler;
import dev.omem.hooks.HookSettings;
import dev.omem.ingest.Redactor;
import dev.omem.llm.LlmProvider;
import dev.omem.llm.LlmSettings;
import dev.omem.service.Caller;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.SearchRequest;
import dev.omem.service.StoreRequest;
import dev.omem.testing.StandInLlm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The wiring of {@code OMEM_RERANK=llm} on the coding lane, in process: each project in its own
 * store (memories stored with no LLM), its prompts through the real UserPromptSubmit hook ({@link
 * HookHandler}) and the default search, first LLM-free, then with a stand-in LLM on loopback (the
 * OpenAI wire) that answers from the lane's labels: it names, among the memories it is shown, those
 * the prompt's {@code relevant} lists. This shows the plumbing end to end (the candidates reach the
 * model, its answer decides), and how far an ideal judge of the ten closest could go: it is NOT a
 * figure of any real model. Also the search's wall time with and without the stand-in (which
 * answers at once), per prompt, the two phases one after the other.
 *
 * <p>Run: java -cp target/test-classes:target/omem.jar dev.omem.bench.RerankWiringBench [--data
 * ../shared/bench/coding-recall-dev.json] [--work DIR]
 */
public final class RerankWiringBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Caller USER = new Caller(null, null, "bench", null);
  private static final Caller DAEMON = new Caller(null, null, null, null);

  private RerankWiringBench() {}

  /** Counts of one phase. */
  static final class Tally {
    int answerable, hit, quiet, unrelated, injected, injectedRelevant, searchAnswerable;
    int searchEmptyUnrelated, applied, fellBack;
    double recall5, rr;
    List<Long> searchNanos = new ArrayList<>();

    String row(String name) {
      long[] t = searchNanos.stream().mapToLong(Long::longValue).sorted().toArray();
      return String.format(
          Locale.ROOT,
          "| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %d / %d | %.1f | %.1f |",
          name,
          hit / (double) answerable,
          injected == 0 ? 0 : injectedRelevant / (double) injected,
          quiet / (double) unrelated,
          recall5 / searchAnswerable,
          rr / searchAnswerable,
          searchEmptyUnrelated / (double) unrelated,
          applied,
          applied + fellBack,
          t.length == 0 ? 0 : t[t.length / 2] / 1e6,
          t.length == 0
              ? 0
              : t[(int) Math.min(t.length - 1, Math.ceil(0.95 * t.length) - 1)] / 1e6);
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    Path data = Path.of(o.getOrDefault("data", "../shared/bench/coding-recall-dev.json"));
    Path work = Path.of(o.getOrDefault("work", "/tmp/omem-rerank-bench"));
    JsonNode lane = JSON.readTree(data.toFile());
    Tally off = new Tally();
    Tally on = new Tally();
    try (StandInLlm llm = StandInLlm.start()) {
      Map<String, Set<String>> labels = new HashMap<>(); // redacted prompt -> relevant texts
      llm.respondWith(r -> fromLabels(r, labels));
      for (JsonNode p : lane.path("projects")) {
        String id = p.path("id").asText();
        Path home = work.resolve(id);
        Files.createDirectories(home);
        Files.writeString(home.resolve("config.json"), "{\"rerank\": \"llm\"}");
        Map<String, String> texts = new HashMap<>();
        p.path("memories").forEach(m -> texts.put(m.path("id").asText(), m.path("text").asText()));
        labels.clear();
        for (JsonNode q : p.path("prompts")) {
          Set<String> rel = new HashSet<>();
          q.path("relevant").forEach(r -> rel.add(key(texts.get(r.asText()))));
          labels.put(query(Redactor.clean(q.path("text").asText())), rel);
        }
        LocalMemoryService svc = open(home, LlmSettings.none());
        for (String t : texts.values()) {
          svc.store(USER, new StoreRequest(t, null, null, null, "global", null));
        }
        run(svc, p, texts, off);
        svc.close();
        LlmSettings s = llm.settings(LlmProvider.OPENAI);
        svc =
            open(
                home,
                new LlmSettings(
                    s.provider(), s.apiKey(), s.baseUrl(), s.model(), s.timeout(), 100_000_000));
        run(svc, p, texts, on);
        svc.close();
        System.err.println(id + " done");
      }
    }
    System.out.println(
        "| phase | hook hit | injection precision | quiet | search R@5 | MRR | search empty on"
            + " unrelated | reranked / searches | search p50 ms | search p95 ms |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    System.out.println(off.row("LLM-free"));
    System.out.println(on.row("stand-in judge from the labels"));
  }

  private static LocalMemoryService open(Path home, LlmSettings llm) {
    LocalMemoryService svc =
        LocalMemoryService.open(
            new OmemConfig(home, OmemConfig.DEFAULT_MODEL), Clock.systemUTC(), llm);
    if (!svc.awaitModel(Duration.ofSeconds(300))) {
      throw new IllegalStateException("model did not load");
    }
    return svc;
  }

  /** Letters and digits of a text's first 40 such characters: how a memory is found in a block. */
  static String key(String text) {
    String k = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    return k.substring(0, Math.min(40, k.length()));
  }

  /** A query as the stand-in looks it up: the hook strips and cuts the prompt it searches. */
  static String query(String text) {
    String k = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    return k.substring(0, Math.min(200, k.length()));
  }

  private static StandInLlm.Reply fromLabels(
      StandInLlm.Request r, Map<String, Set<String>> labels) {
    try {
      JsonNode u = JSON.readTree(r.user());
      Set<String> rel = labels.getOrDefault(query(u.path("query").asText()), Set.of());
      ObjectNode out = JSON.createObjectNode();
      out.putArray("relevant");
      for (JsonNode m : u.path("memories")) {
        if (rel.contains(key(m.path("text").asText()))) {
          out.withArray("relevant").add(m.path("id").asInt());
        }
      }
      return StandInLlm.Reply.text(out.toString());
    } catch (IOException e) {
      return StandInLlm.Reply.text("not json");
    }
  }

  private static void run(LocalMemoryService svc, JsonNode p, Map<String, String> texts, Tally t) {
    try (HookHandler hooks = hooks(svc)) {
      int n = 0;
      for (JsonNode q : p.path("prompts")) {
        String prompt = q.path("text").asText();
        Set<String> rel = new HashSet<>();
        q.path("relevant").forEach(r -> rel.add(key(texts.get(r.asText()))));
        // The hook, in a session of its own (nothing shown before).
        ObjectNode in = JSON.createObjectNode();
        // A session of its own in each phase too: the store keeps what each session was shown.
        in.put(
            "session_id",
            "bench-" + System.identityHashCode(t) + "-" + p.path("id").asText() + "-" + n++);
        in.put("hook_event_name", HookEvent.USER_PROMPT_SUBMIT.wire());
        in.put("prompt", prompt);
        JsonNode answer = JSON.valueToTree(hooks.handle(HookEvent.USER_PROMPT_SUBMIT, DAEMON, in));
        String block =
            answer
                .path("hookSpecificOutput")
                .path("additionalContext")
                .asText("")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]", "");
        int injected = 0, relevant = 0;
        for (String m : texts.values()) {
          if (!block.isEmpty() && block.contains(key(m))) {
            injected++;
            relevant += rel.contains(key(m)) ? 1 : 0;
          }
        }
        t.injected += injected;
        t.injectedRelevant += relevant;
        // The default search.
        long t0 = System.nanoTime();
        SearchOutcome out = svc.search(USER, SearchRequest.of(prompt));
        t.searchNanos.add(System.nanoTime() - t0);
        if (out.rerank() != null) {
          if (out.rerank().applied()) {
            t.applied++;
          } else {
            t.fellBack++;
          }
        }
        List<String> found =
            out.results().stream().map(ScoredMemory::memory).map(m -> key(m.content())).toList();
        if (System.getenv("RERANK_BENCH_TRACE") != null && !rel.isEmpty() && relevant == 0) {
          System.err.println(
              "MISS " + prompt + " | rerank " + out.rerank() + " | block " + answer.size());
        }
        if (rel.isEmpty()) {
          t.unrelated++;
          t.quiet += injected == 0 ? 1 : 0;
          t.searchEmptyUnrelated += found.isEmpty() ? 1 : 0;
        } else {
          t.answerable++;
          t.hit += relevant > 0 ? 1 : 0;
          t.searchAnswerable++;
          long inTop5 = found.stream().limit(5).filter(rel::contains).count();
          t.recall5 += inTop5 / (double) rel.size();
          for (int i = 0; i < found.size(); i++) {
            if (rel.contains(found.get(i))) {
              t.rr += 1.0 / (i + 1);
              break;
            }
          }
        }
      }
    }
  }

  private static HookHandler hooks(LocalMemoryService svc) {
    return new HookHandler(svc, svc.hookSessions(), HookSettings.defaults());
  }
}
