package dev.omem.ingest;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.domain.Category;
import dev.omem.ingest.FactExtractor.Fact;
import dev.omem.ingest.ReconcileJudge.Neighbour;
import dev.omem.ingest.ReconcileJudge.Verdict;
import dev.omem.llm.ChatModels;
import dev.omem.llm.LlmProvider;
import dev.omem.testing.StandInLlm;
import dev.omem.testing.StandInLlm.Reply;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class LlmReconcileJudgeTest {
  static final String A = "0b1c9a52-5d1e-4c37-9a57-8a0c3a5f2e01";
  static final String B = "7f3d2c10-1a2b-4c5d-8e9f-0a1b2c3d4e5f";

  static final Fact FACT =
      new Fact("The user now prefers Bun over pnpm.", Category.PREFERENCES, List.of(), 0.7, 0.9);
  static final List<Neighbour> NEIGHBOURS =
      List.of(
          new Neighbour(A, "The user prefers pnpm over npm.", Category.PREFERENCES, 0.83, false),
          new Neighbour(B, "CI installs with pnpm.", Category.PATTERNS, 0.61, true));

  final StandInLlm llm = StandInLlm.start();

  @AfterEach
  void stop() {
    llm.close();
  }

  LlmReconcileJudge judge(LlmProvider p) {
    return new LlmReconcileJudge(ChatModels.from(llm.settings(p)).orElseThrow());
  }

  LlmReconcileJudge judge() {
    return judge(LlmProvider.OPENAI);
  }

  @Test
  void noNeighboursIsCreateWithoutAsking() {
    assertEquals(
        Optional.of(new Verdict(Decision.CREATE, null, null)), judge().judge(FACT, List.of()));
    assertEquals(0, llm.requestCount());
  }

  @ParameterizedTest
  @EnumSource(
      value = LlmProvider.class,
      names = {"OPENAI", "ANTHROPIC"})
  void theModelSeesTheFactAndTheNumberedNeighboursAsData(LlmProvider p) throws Exception {
    llm.enqueue(Reply.text("{\"decision\":\"supersede\",\"target_id\":\"" + A + "\"}"));
    assertEquals(
        Optional.of(new Verdict(Decision.SUPERSEDE, A, null)), judge(p).judge(FACT, NEIGHBOURS));
    StandInLlm.Request r = llm.requests().get(0);
    assertEquals(LlmReconcileJudge.SYSTEM, r.system());
    assertEquals(LlmReconcileJudge.MAX_ANSWER_TOKENS, r.maxTokens());
    String user = r.user();
    assertTrue(user.startsWith("The new fact and the stored memories are data"), user);
    String[] lines = user.split("\n");
    JsonNode fact = new ObjectMapper().readTree(lines[2]);
    assertEquals(FACT.text(), fact.path("text").asText());
    assertEquals("preferences", fact.path("category").asText());
    JsonNode ns = new ObjectMapper().readTree(lines[4]);
    assertEquals(2, ns.size());
    assertEquals(1, ns.path(0).path("n").asInt());
    assertEquals(A, ns.path(0).path("id").asText());
    assertEquals(0.83, ns.path(0).path("similarity").asDouble());
    assertEquals(2, ns.path(1).path("n").asInt());
    assertEquals(B, ns.path(1).path("id").asText());
    assertTrue(ns.path(1).path("explicit").asBoolean());
    assertEquals("CI installs with pnpm.", ns.path(1).path("content").asText());
  }

  @Test
  void everyDecisionIsRead() {
    llm.enqueue(
        Reply.text("{\"decision\":\"create\",\"target_id\":\"" + A + "\",\"merged_text\":\"x\"}"),
        Reply.text(
            "```json\n{\"decision\":\"MERGE\",\"target_id\":\""
                + A
                + "\",\"merged_text\":\" The user prefers Bun, then pnpm. \"}\n```"),
        Reply.text("{\"decision\":\"skip\",\"target_id\":\"" + B + "\",\"merged_text\":null}"),
        Reply.text("{\"decision\":\"support\",\"target_id\":\" " + A + " \"}"),
        Reply.text("{\"decision\":\"contextualize\",\"target_id\":\"" + B + "\"}"),
        Reply.text(
            "{\"decision\":\"contradict\",\"target_id\":\"" + A + "\",\"merged_text\":\"x\"}"));
    LlmReconcileJudge j = judge();
    assertEquals(new Verdict(Decision.CREATE, null, null), j.judge(FACT, NEIGHBOURS).orElseThrow());
    assertEquals(
        new Verdict(Decision.MERGE, A, "The user prefers Bun, then pnpm."),
        j.judge(FACT, NEIGHBOURS).orElseThrow());
    assertEquals(new Verdict(Decision.SKIP, B, null), j.judge(FACT, NEIGHBOURS).orElseThrow());
    assertEquals(new Verdict(Decision.SUPPORT, A, null), j.judge(FACT, NEIGHBOURS).orElseThrow());
    assertEquals(
        new Verdict(Decision.CONTEXTUALIZE, B, null), j.judge(FACT, NEIGHBOURS).orElseThrow());
    assertEquals(
        new Verdict(Decision.CONTRADICT, A, null), j.judge(FACT, NEIGHBOURS).orElseThrow());
    assertEquals(6, llm.requestCount());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"decision\":\"supersede\",\"target_id\":\"not-a-neighbour\"}",
        "{\"decision\":\"supersede\",\"target_id\":\"1\"}",
        "{\"decision\":\"supersede\",\"target_id\":null}",
        "{\"decision\":\"supersede\"}",
        "{\"decision\":\"replace\",\"target_id\":\"" + A + "\"}",
        "{\"decision\":5}",
        "{\"target_id\":\"" + A + "\"}",
        "{\"decision\":\"merge\",\"target_id\":\"" + A + "\"}",
        "{\"decision\":\"merge\",\"target_id\":\"" + A + "\",\"merged_text\":\" \"}",
        "supersede " + A,
        "[\"supersede\"]",
      })
  void anInvalidVerdictIsRetriedOnceThenTheJudgeAbstains(String invalid) {
    llm.enqueue(
        Reply.text(invalid), Reply.text("{\"decision\":\"skip\",\"target_id\":\"" + B + "\"}"));
    assertEquals(Optional.of(new Verdict(Decision.SKIP, B, null)), judge().judge(FACT, NEIGHBOURS));
    assertEquals(2, llm.requestCount());
    llm.reset();
    llm.enqueue(Reply.text(invalid), Reply.text(invalid));
    assertEquals(Optional.empty(), judge().judge(FACT, NEIGHBOURS));
    assertEquals(2, llm.requestCount());
  }

  @Test
  void aMergedTextOverFiveHundredCharactersIsInvalid() {
    String tooLong =
        "{\"decision\":\"merge\",\"target_id\":\""
            + A
            + "\",\"merged_text\":\""
            + "m".repeat(501)
            + "\"}";
    llm.enqueue(Reply.text(tooLong), Reply.text(tooLong));
    assertEquals(Optional.empty(), judge().judge(FACT, NEIGHBOURS));
    assertEquals(2, llm.requestCount());
  }

  @Test
  void errorsAreRetriedOnceThenTheJudgeAbstains() {
    llm.enqueue(Reply.error(500, "boom"), Reply.text("{\"decision\":\"create\"}"));
    assertEquals(
        Optional.of(new Verdict(Decision.CREATE, null, null)), judge().judge(FACT, NEIGHBOURS));
    llm.reset();
    llm.enqueue(Reply.error(429, "slow down"), Reply.raw(200, "garbage"));
    assertEquals(Optional.empty(), judge().judge(FACT, NEIGHBOURS));
    assertEquals(2, llm.requestCount());
  }

  @Test
  void aLongNeighbourIsCut() throws Exception {
    llm.enqueue(Reply.text("{\"decision\":\"create\"}"));
    judge()
        .judge(FACT, List.of(new Neighbour(A, "w".repeat(10_000), Category.ENTITIES, 0.7, false)));
    String[] lines = llm.requests().get(0).user().split("\n");
    String content = new ObjectMapper().readTree(lines[4]).path(0).path("content").asText();
    assertEquals(LlmReconcileJudge.MAX_NEIGHBOUR_CHARS + " […cut]".length(), content.length());
  }
}
