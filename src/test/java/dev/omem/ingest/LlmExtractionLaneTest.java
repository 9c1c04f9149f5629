package dev.omem.ingest;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.ingest.FactExtractor.Turn;
import dev.omem.llm.ChatModels;
import dev.omem.llm.LlmProvider;
import dev.omem.testing.StandInLlm;
import dev.omem.testing.StandInLlm.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The extraction benchmark's LLM lane: {@link LlmExtractor} (over real HTTP, through {@link
 * ChatModels} and its budget) against {@link StandInLlm}, which answers each conversation of {@code
 * extraction/corpus.json} with what {@code extraction/llm-answers.json} says a model would
 * plausibly answer, in each provider's wire format. Scored like the local rules ({@link
 * ExtractionCorpusTest#score}), with the same targets.
 *
 * <p>The answers are hand-written, so the figures measure omem's side of an LLM lane (the prompt's
 * transport, the answer's validation, the retry, the fallback to the rules, the scoring), not a
 * model's quality; a real model's figures need a key and the network.
 */
class LlmExtractionLaneTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /** One lane's score and the number of requests the stand-in received. */
  record Lane(LlmProvider provider, ExtractionCorpusTest.Score score, int requests) {}

  /** Each corpus conversation's turns → the answers the stand-in gives, in order. */
  static Map<List<Turn>, List<String>> scriptedAnswers() throws IOException {
    JsonNode corpus = resource("/extraction/corpus.json");
    JsonNode answers = resource("/extraction/llm-answers.json").path("answers");
    Map<List<Turn>, List<String>> out = new LinkedHashMap<>();
    for (JsonNode c : corpus.path("conversations")) {
      String id = c.path("id").asText();
      List<Turn> turns = new ArrayList<>();
      c.path("messages")
          .forEach(m -> turns.add(new Turn(m.path("role").asText(), m.path("content").asText())));
      JsonNode a = answers.path(id);
      if (!a.isArray() || a.isEmpty()) {
        throw new IllegalStateException("llm-answers.json has no answer for " + id);
      }
      List<String> texts = new ArrayList<>();
      a.forEach(x -> texts.add(x.isTextual() ? x.asText() : x.toString()));
      out.put(turns, texts);
    }
    return out;
  }

  private static JsonNode resource(String name) throws IOException {
    try (InputStream in = LlmExtractionLaneTest.class.getResourceAsStream(name)) {
      return JSON.readTree(in);
    }
  }

  /**
   * Scores the lane of {@code provider}. Before each conversation the stand-in is given that
   * conversation's answers; afterwards every one of them must have been asked for (so a malformed
   * first answer really was retried) and no more.
   */
  static Lane run(LlmProvider provider) throws IOException {
    Map<List<Turn>, List<String>> script = scriptedAnswers();
    List<String> mismatches = new ArrayList<>();
    int[] requests = {0};
    try (StandInLlm llm = StandInLlm.start()) {
      LlmExtractor extractor =
          new LlmExtractor(
              ChatModels.from(llm.settings(provider)).orElseThrow(), new LocalRulesExtractor());
      FactExtractor scripted =
          turns -> {
            List<String> answers = script.get(turns);
            llm.reset();
            answers.forEach(a -> llm.enqueue(Reply.text(a)));
            List<FactExtractor.Fact> facts = extractor.extract(turns);
            requests[0] += llm.requestCount();
            if (llm.requestCount() != answers.size()) {
              mismatches.add(
                  answers.size() + " answers scripted, " + llm.requestCount() + " requested");
            }
            return facts;
          };
      ExtractionCorpusTest.Score score = ExtractionCorpusTest.score(scripted);
      if (!mismatches.isEmpty()) {
        throw new IllegalStateException(provider.wire() + " lane: " + mismatches);
      }
      return new Lane(provider, score, requests[0]);
    }
  }

  static String summary(Lane lane) {
    return String.format(
        Locale.ROOT,
        "llm %s (stand-in, scripted answers, %d requests): %s",
        lane.provider().wire(),
        lane.requests(),
        lane.score().summary());
  }

  @ParameterizedTest
  @EnumSource(
      value = LlmProvider.class,
      names = {"OPENAI", "ANTHROPIC"})
  void theLlmLaneMeetsTheTargets(LlmProvider provider) throws IOException {
    Lane lane = run(provider);
    ExtractionCorpusTest.Score s = lane.score();
    System.out.println(summary(lane));
    s.details().forEach(d -> System.out.println("  " + d));
    assertTrue(s.precision() >= ExtractionCorpusTest.MIN_PRECISION, s.summary() + s.details());
    assertTrue(s.recall() >= ExtractionCorpusTest.MIN_RECALL, s.summary() + s.details());
    int conversations = scriptedAnswers().size();
    assertEquals(conversations + 2, lane.requests(), "one retry each for two conversations");
  }

  @Test
  void everyConversationHasAnAnswer() throws IOException {
    Map<List<Turn>, List<String>> script = scriptedAnswers();
    assertEquals(resource("/extraction/corpus.json").path("conversations").size(), script.size());
  }

  /** Prints both lanes with every miss (run by {@link ExtractionCorpusTest#main}). */
  static void print() throws IOException {
    for (LlmProvider p : List.of(LlmProvider.OPENAI, LlmProvider.ANTHROPIC)) {
      Lane lane = run(p);
      System.out.println(summary(lane));
      lane.score().details().forEach(d -> System.out.println("  " + d));
    }
  }
}
