package dev.omem.llm;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.testing.StandInLlm;
import dev.omem.testing.StandInLlm.Reply;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiChatModelTest {
  final StandInLlm llm = StandInLlm.start();

  @AfterEach
  void stop() {
    llm.close();
  }

  OpenAiChatModel model() {
    return new OpenAiChatModel(llm.settings(LlmProvider.OPENAI));
  }

  @Test
  void theRequestHasTheChatCompletionsShape() {
    llm.enqueue(Reply.text("{\"facts\":[]}"));
    model().call("the system prompt", "the user prompt", 321);
    StandInLlm.Request r = llm.requests().get(0);
    assertEquals(StandInLlm.Wire.OPENAI, r.wire());
    assertEquals("/chat/completions", r.path());
    assertEquals("Bearer " + StandInLlm.DEFAULT_KEY, r.headers().get("authorization"));
    assertTrue(r.headers().get("content-type").startsWith("application/json"));
    assertTrue(r.authorized());
    JsonNode b = r.body();
    assertEquals(StandInLlm.MODEL, b.path("model").asText());
    assertEquals(2, b.path("messages").size());
    assertEquals("system", b.path("messages").path(0).path("role").asText());
    assertEquals("the system prompt", b.path("messages").path(0).path("content").asText());
    assertEquals("user", b.path("messages").path(1).path("role").asText());
    assertEquals("the user prompt", b.path("messages").path(1).path("content").asText());
    assertEquals(321, b.path("max_tokens").asInt());
    assertTrue(b.path("temperature").isNumber());
    assertEquals(0.0, b.path("temperature").asDouble());
    assertEquals("json_object", b.path("response_format").path("type").asText());
  }

  @Test
  void theAnswerIsTheFirstChoicesContentWithItsUsage() {
    llm.enqueue(Reply.text("{\"facts\":[1]}").withUsage(120, 7));
    Completion c = model().call("s", "u", 100);
    assertEquals("{\"facts\":[1]}", c.text());
    assertEquals(new Completion.Usage(120, 7), c.usage());
    assertEquals(127, c.usage().total());
  }

  @Test
  void anAnswerWithoutUsageHasNone() {
    llm.enqueue(Reply.text("ok").withoutUsage());
    assertNull(model().call("s", "u", 10).usage());
  }

  @Test
  void aWrongKeyIsAn401NamingNeitherKeyNorPrompt() {
    LlmSettings s = llm.settings(LlmProvider.OPENAI);
    LlmSettings wrong =
        new LlmSettings(s.provider(), "sk-wrong-key", s.baseUrl(), s.model(), s.timeout(), 1000);
    LlmException e =
        assertThrows(
            LlmException.class, () -> new OpenAiChatModel(wrong).call("s", "secret prompt", 5));
    assertEquals(401, e.status());
    assertFalse(e.getMessage().contains("sk-wrong-key"));
    assertFalse(e.getMessage().contains("secret prompt"));
  }

  @Test
  void httpErrorsCarryStatusAndTheProvidersMessage() {
    llm.enqueue(
        Reply.error(500, "The server had an error while processing your request"),
        Reply.error(429, "Rate limit reached for gpt-4o-mini"));
    LlmException e = assertThrows(LlmException.class, () -> model().call("s", "my prompt", 5));
    assertEquals(500, e.status());
    assertEquals(
        "openai answered HTTP 500: The server had an error while processing your request",
        e.getMessage());
    e = assertThrows(LlmException.class, () -> model().call("s", "my prompt", 5));
    assertEquals(429, e.status());
    assertTrue(e.getMessage().contains("Rate limit reached"), e.getMessage());
  }

  @Test
  void aProviderMessageQuotingTheKeyIsScrubbed() {
    llm.enqueue(Reply.error(400, "bad key " + StandInLlm.DEFAULT_KEY + " for this org"));
    LlmException e = assertThrows(LlmException.class, () -> model().call("s", "u", 5));
    assertFalse(e.getMessage().contains(StandInLlm.DEFAULT_KEY), e.getMessage());
    assertTrue(e.getMessage().contains("bad key *** for this org"), e.getMessage());
  }

  @Test
  void garbageIsAnErrorThatDoesNotQuoteIt() {
    llm.enqueue(
        Reply.raw(200, "<html>proxy says hello</html>"),
        Reply.raw(200, "{\"choices\":[]}"),
        Reply.raw(502, "<html>bad gateway</html>"));
    LlmException e = assertThrows(LlmException.class, () -> model().call("s", "u", 5));
    assertFalse(e.getMessage().contains("proxy says"), e.getMessage());
    e = assertThrows(LlmException.class, () -> model().call("s", "u", 5));
    assertTrue(e.getMessage().contains("choices[0].message.content"), e.getMessage());
    e = assertThrows(LlmException.class, () -> model().call("s", "u", 5));
    assertEquals("openai answered HTTP 502", e.getMessage());
  }

  @Test
  void aSlowAnswerTimesOut() {
    LlmSettings s = llm.settings(LlmProvider.OPENAI);
    LlmSettings quick =
        new LlmSettings(
            s.provider(), s.apiKey(), s.baseUrl(), s.model(), Duration.ofMillis(300), 1000);
    llm.enqueue(Reply.text("late").after(Duration.ofSeconds(5)));
    long t0 = System.nanoTime();
    LlmException e =
        assertThrows(LlmException.class, () -> new OpenAiChatModel(quick).call("s", "u", 5));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(0, e.status());
    assertEquals("openai did not answer within 300 ms", e.getMessage());
    assertTrue(ms < 3000, "gave up after " + ms + " ms");
  }

  @Test
  void noServerIsAnErrorNamingTheAddress() {
    LlmSettings s = llm.settings(LlmProvider.OPENAI);
    llm.close();
    LlmException e =
        assertThrows(LlmException.class, () -> new OpenAiChatModel(s).call("s", "u", 5));
    assertEquals(0, e.status());
    assertTrue(
        e.getMessage().startsWith("openai is unreachable at " + s.baseUrl()), e.getMessage());
  }

  @Test
  void withoutAKeyNoAuthorizationHeaderIsSent() {
    try (StandInLlm open = StandInLlm.start(null)) {
      open.enqueue(Reply.text("{}"));
      LlmSettings s = open.settings(LlmProvider.OPENAI);
      assertNull(s.apiKey());
      assertEquals("{}", new OpenAiChatModel(s).call("s", "u", 5).text());
      assertNull(open.requests().get(0).headers().get("authorization"));
    }
  }
}
