package dev.omem.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.config.OmemConfig;
import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchMode;
import dev.omem.service.Caller;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.SearchRequest;
import dev.omem.service.StoreRequest;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * LoCoMo dev's rankings with the clock and the access counts taken out, to compare two builds'
 * rankings question by question (issue 15). Not a test. {@code scripts/bench-recall} runs through
 * MCP on the wall clock, and each search's access count is written after its answer, so two runs of
 * one jar differ by a few swaps (10 of 304 questions' evidence ranks in session 10). Here the
 * service gets one fixed {@link Clock} (through {@link LocalMemoryService#open(OmemConfig, Clock)},
 * the wiring's one clock) and no search counts an access. Two runs of one build are then identical
 * (session 11: 304 of 304 lines; before, equal scores were broken by the memories' random ids and
 * only 194 were). It prints, per question, the ranked turn ids with their scores (limit 50,
 * min_score 0). It uses only the service's public calls, so it compiles against an older build as
 * SearchCpuBench's Javadoc shows:
 *
 * <pre>
 * java -cp target/omem.jar:target/test-classes dev.omem.bench.LocomoRankDump \
 *   ../shared/bench/locomo-dev.json > ranks.txt
 * </pre>
 *
 * The protocol's memories ({@code ../shared/bench/README.md}): one per turn, {@code "(<session
 * date>) <speaker>: <text>"}, a fresh store per conversation. The data is read at run time.
 */
public final class LocomoRankDump {
  static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

  /**
   * {@code OMEM_LOCOMO_DISTRACT=on}: a longer conversation to stress ranking, for diagnosis only
   * (not a quality figure): each store also gets every other dev conversation's turns, stored
   * first, with their two speakers renamed to this conversation's (in the label and the text), so
   * the questions compete with about twice as many turns of the same two people. Those turns are
   * never evidence (ids "X…").
   */
  static final boolean DISTRACT = "on".equals(System.getenv("OMEM_LOCOMO_DISTRACT"));

  private static void distractors(
      JsonNode data, JsonNode sample, Map<String, String> turnOf, List<StoreRequest> turns) {
    JsonNode own = sample.get("conversation");
    for (JsonNode other : data) {
      if (other == sample) {
        continue;
      }
      JsonNode conv = other.get("conversation");
      String a = conv.get("speaker_a").asText();
      String b = conv.get("speaker_b").asText();
      String toA = own.get("speaker_a").asText();
      String toB = own.get("speaker_b").asText();
      for (int n = 1; conv.has("session_" + n); n++) {
        String date = conv.path("session_" + n + "_date_time").asText();
        for (JsonNode t : conv.get("session_" + n)) {
          String raw = t.get("speaker").asText() + ": " + t.get("text").asText();
          if (t.has("blip_caption")) {
            raw += " [shares " + t.get("blip_caption").asText() + "]";
          }
          String renamed =
              raw.replaceAll("\\b" + a + "\\b", "\u0001")
                  .replaceAll("\\b" + b + "\\b", toB)
                  .replace("\u0001", toA);
          String text = "(" + date + ") " + renamed;
          turnOf.putIfAbsent(text, "X" + t.get("dia_id").asText());
          turns.add(StoreRequest.of(text));
        }
      }
    }
  }

  public static void main(String[] args) throws Exception {
    JsonNode data = new ObjectMapper().readTree(new File(args[0]));
    for (JsonNode sample : data) {
      // One session per conversation, as through MCP (one server process, one MCP session, per
      // conversation in scripts/bench-recall): a search's session neighbours read it. Before
      // session 13 the dump had none, so its context expansion found no neighbours.
      Caller caller =
          new Caller(null, "bench/locomo", null, "locomo-" + sample.get("sample_id").asText());
      Path home = Files.createTempDirectory("omem-locomo");
      Map<String, String> turnOf = new HashMap<>();
      List<StoreRequest> turns = new ArrayList<>();
      JsonNode conv = sample.get("conversation");
      if (DISTRACT) {
        distractors(data, sample, turnOf, turns);
      }
      for (int n = 1; conv.has("session_" + n); n++) {
        String date = conv.path("session_" + n + "_date_time").asText();
        for (JsonNode t : conv.get("session_" + n)) {
          String text =
              "(" + date + ") " + t.get("speaker").asText() + ": " + t.get("text").asText();
          if (t.has("blip_caption")) {
            text += " [shares " + t.get("blip_caption").asText() + "]";
          }
          turnOf.putIfAbsent(text, t.get("dia_id").asText());
          turns.add(StoreRequest.of(text));
        }
      }
      try (LocalMemoryService svc =
          LocalMemoryService.open(
              new OmemConfig(
                  home,
                  OmemConfig.DEFAULT_MODEL,
                  SearchMode.parse(System.getenv().getOrDefault("OMEM_SEARCH_MODE", "hybrid"))),
              Clock.fixed(NOW, ZoneOffset.UTC))) {
        svc.awaitModel(Duration.ofMinutes(5));
        for (int i = 0; i < turns.size(); i += 100) {
          svc.storeAll(caller, turns.subList(i, Math.min(turns.size(), i + 100)));
        }
        int q = 0;
        for (Iterator<JsonNode> it = sample.get("qa").elements(); it.hasNext(); q++) {
          String question = it.next().get("question").asText();
          List<ScoredMemory> found =
              svc.search(
                      caller,
                      SearchRequest.builder(question)
                          .limit(50)
                          .minScore(0.0)
                          .countAccess(false)
                          .build())
                  .results();
          StringBuilder line = new StringBuilder(sample.get("sample_id").asText() + " " + q);
          for (ScoredMemory r : found) {
            line.append(' ')
                .append(turnOf.getOrDefault(r.memory().content(), "?"))
                .append(String.format(Locale.ROOT, ":%.6f", r.score()));
          }
          System.out.println(line);
        }
      }
    }
  }
}
