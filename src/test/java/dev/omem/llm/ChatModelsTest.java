package dev.omem.llm;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.domain.ChatModel;
import dev.omem.testing.MovableClock;
import dev.omem.testing.StandInLlm;
import dev.omem.testing.StandInLlm.Reply;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChatModelsTest {
  final StandInLlm llm = StandInLlm.start();
  final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @AfterEach
  void stop() {
    llm.close();
  }

  LlmSettings capped(LlmProvider p, long max) {
    LlmSettings s = llm.settings(p);
    return new LlmSettings(p, s.apiKey(), s.baseUrl(), s.model(), s.timeout(), max);
  }

  @Test
  void noProviderNoModel() {
    assertTrue(ChatModels.from(LlmSettings.none()).isEmpty());
  }

  @ParameterizedTest
  @EnumSource(
      value = LlmProvider.class,
      names = {"OPENAI", "ANTHROPIC"})
  void theReportedUsageIsCounted(LlmProvider p) {
    ChatModel m = ChatModels.from(capped(p, 10_000), clock).orElseThrow();
    llm.enqueue(Reply.text("one").withUsage(1234, 56), Reply.text("two").withUsage(10, 5));
    assertEquals("one", m.complete("s", "u", 100));
    TokenBudget budget = ((BudgetedChatModel) m).budget();
    assertEquals(1290, budget.usedInLastHour());
    assertEquals("two", m.complete("s", "u", 100));
    assertEquals(1305, budget.usedInLastHour());
  }

  @ParameterizedTest
  @EnumSource(
      value = LlmProvider.class,
      names = {"OPENAI", "ANTHROPIC"})
  void overTheCapNothingIsSentUntilAnHourHasPassed(LlmProvider p) {
    ChatModel m = ChatModels.from(capped(p, 1000), clock).orElseThrow();
    llm.respondWith(r -> Reply.text("fine").withUsage(900, 50));
    assertEquals("fine", m.complete("system", "user", 100));
    RuntimeException e =
        assertThrows(RuntimeException.class, () -> m.complete("system", "user", 100));
    assertEquals("LLM token budget of 1000 per hour reached", e.getMessage());
    assertEquals(1, llm.requestCount(), "the refused call never reached the provider");
    clock.advance(Duration.ofMinutes(59));
    assertThrows(RuntimeException.class, () -> m.complete("system", "user", 100));
    clock.advance(Duration.ofMinutes(1));
    assertEquals("fine", m.complete("system", "user", 100));
    assertEquals(2, llm.requestCount());
  }

  @Test
  void theEstimateCountsThePromptAndTheWholeAnswerAllowance() {
    assertEquals(100 / 4 + 500, BudgetedChatModel.estimate("x".repeat(60), "y".repeat(40), 500));
    // A prompt whose estimate alone passes the cap is refused without a request.
    ChatModel m = ChatModels.from(capped(LlmProvider.OPENAI, 1000), clock).orElseThrow();
    assertThrows(RuntimeException.class, () -> m.complete("s", "u".repeat(4000), 10));
    assertEquals(0, llm.requestCount());
  }

  @Test
  void withoutReportedUsageTheEstimateStays() {
    ChatModel m = ChatModels.from(capped(LlmProvider.OPENAI, 10_000), clock).orElseThrow();
    llm.enqueue(Reply.text("ok").withoutUsage());
    m.complete("x".repeat(400), "", 50);
    assertEquals(150, ((BudgetedChatModel) m).budget().usedInLastHour());
  }

  @Test
  void aFailedCallKeepsItsEstimate() {
    ChatModel m = ChatModels.from(capped(LlmProvider.ANTHROPIC, 10_000), clock).orElseThrow();
    llm.enqueue(Reply.error(500, "overloaded"));
    assertThrows(LlmException.class, () -> m.complete("x".repeat(400), "", 50));
    assertEquals(150, ((BudgetedChatModel) m).budget().usedInLastHour());
  }
}
