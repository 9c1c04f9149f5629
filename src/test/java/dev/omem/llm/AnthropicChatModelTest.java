package dev.omem.llm;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.testing.StandInLlm;
import dev.omem.testing.StandInLlm.Reply;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnthropicChatModelTest {
  final StandInLlm llm = StandInLlm.start();

  @AfterEach
  void stop() {
    llm.close();
  }

  AnthropicChatModel model() {
    return new AnthropicChatModel(llm.settings(LlmProvider.ANTHROPIC));
  }

  @Test
  void theRequestHasTheMessagesShape() {
    llm.enqueue(Reply.text("{}"));
    model().call("the system prompt", "the user prompt", 321);
    StandInLlm.Request r = llm.requests().get(0);
    assertEquals(StandInLlm.Wire.ANTHROPIC, r.wire());
    assertEquals("/v1/messages", r.path());
    assertEquals(StandInLlm.DEFAULT_KEY, r.headers().get("x-api-key"));
    assertEquals("2023-06-01", r.headers().get("anthropic-version"));
    assertNull(r.headers().get("authorization"));
    JsonNode b = r.body();
    assertEquals(StandInLlm.MODEL, b.path("model").asText());
    assertEquals(321, b.path("max_tokens").asInt());
    assertEquals("the system prompt", b.path("system").asText());
    assertEquals(1, b.path("messages").size());
    assertEquals("user", b.path("messages").path(0).path("role").asText());
    assertEquals("the user prompt", b.path("messages").path(0).path("content").asText());
  }

  @Test
  void theAnswerIsTheFirstTextBlockWithItsUsage() {
    llm.enqueue(Reply.text("{\"facts\":[]}").withUsage(300, 12));
    Completion c = model().call("s", "u", 100);
    assertEquals("{\"facts\":[]}", c.text());
    assertEquals(new Completion.Usage(300, 12), c.usage());
  }

  @Test
  void aTextBlockAfterOtherBlocksIsFound() {
    llm.enqueue(
        Reply.raw(
            200,
            "{\"type\":\"message\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"hm\"},"
                + "{\"type\":\"text\",\"text\":\"the answer\"}],"
                + "\"usage\":{\"input_tokens\":3,\"output_tokens\":4}}"),
        Reply.raw(200, "{\"type\":\"message\",\"content\":[{\"type\":\"tool_use\"}]}"));
    assertEquals("the answer", model().call("s", "u", 5).text());
    LlmException e = assertThrows(LlmException.class, () -> model().call("s", "u", 5));
    assertTrue(e.getMessage().contains("without a text content block"), e.getMessage());
  }

  @Test
  void httpErrorsCarryStatusAndTheProvidersMessage() {
    llm.enqueue(Reply.error(429, "Number of request tokens has exceeded your rate limit"));
    LlmException e = assertThrows(LlmException.class, () -> model().call("s", "my prompt", 5));
    assertEquals(429, e.status());
    assertEquals(
        "anthropic answered HTTP 429: Number of request tokens has exceeded your rate limit",
        e.getMessage());
    assertFalse(e.getMessage().contains("my prompt"));
  }

  @Test
  void aWrongKeyIsAn401() {
    LlmSettings s = llm.settings(LlmProvider.ANTHROPIC);
    LlmSettings wrong =
        new LlmSettings(s.provider(), "sk-ant-wrong", s.baseUrl(), s.model(), s.timeout(), 1000);
    LlmException e =
        assertThrows(LlmException.class, () -> new AnthropicChatModel(wrong).call("s", "u", 5));
    assertEquals(401, e.status());
    assertFalse(e.getMessage().contains("sk-ant-wrong"));
  }

  @Test
  void aSlowAnswerTimesOut() {
    LlmSettings s = llm.settings(LlmProvider.ANTHROPIC);
    LlmSettings quick =
        new LlmSettings(
            s.provider(), s.apiKey(), s.baseUrl(), s.model(), Duration.ofMillis(300), 1000);
    llm.enqueue(Reply.text("late").after(Duration.ofSeconds(5)));
    LlmException e =
        assertThrows(LlmException.class, () -> new AnthropicChatModel(quick).call("s", "u", 5));
    assertEquals("anthropic did not answer within 300 ms", e.getMessage());
  }
}
