package dev.omem.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.domain.ChatModel;
import dev.omem.testing.MovableClock;
import dev.omem.testing.StandInAgentCli;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent-CLI model against a stand-in CLI script that records how it was run. */
class AgentCliChatModelTest {
  static final String SECRET = "sk-ant-api03-" + "A".repeat(40);

  @TempDir Path tmp;
  StandInAgentCli cli;
  final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @BeforeEach
  void setUp() throws Exception {
    cli = new StandInAgentCli(tmp.resolve("cli"));
  }

  AgentCliSettings settings(Duration timeout, long budget) {
    return new AgentCliSettings(List.of(cli.command()), "haiku", timeout, budget);
  }

  AgentCliChatModel model(Map<String, String> env) {
    return new AgentCliChatModel(settings(Duration.ofSeconds(20), 100_000), env);
  }

  @Test
  void runsTheCliWithOmemSwitchedOffAndThePromptOnStdin() throws Exception {
    cli.result("{\"facts\":[]}", 120, 7);
    Map<String, String> env =
        Map.of(
            "PATH", System.getenv("PATH"),
            "HOME", tmp.toString(),
            "CLAUDECODE", "1",
            "CLAUDE_CODE_ENTRYPOINT", "cli",
            "ANTHROPIC_BASE_URL", "http://127.0.0.1:9");
    Completion c = model(env).call("extract facts", "the user said: I use bun", 512);
    assertEquals("{\"facts\":[]}", c.text());
    assertEquals(127, c.usage().total());

    List<String> args = cli.args();
    assertEquals(
        List.of(
            "-p",
            "--output-format",
            "json",
            "--no-session-persistence",
            "--settings",
            "{\"disableAllHooks\":true}",
            "--strict-mcp-config",
            "--mcp-config",
            "{\"mcpServers\":{}}",
            "--tools",
            "",
            "--disable-slash-commands",
            "--system-prompt",
            "extract facts",
            "--model",
            "haiku"),
        args);
    assertEquals("the user said: I use bun", cli.stdin(), "the conversation goes in on stdin");
    assertFalse(String.join(" ", args).contains("I use bun"), "never in the arguments");

    Map<String, String> child = cli.env();
    assertEquals("off", child.get("OMEM_HOOKS"), "omem's hooks are told to do nothing");
    assertFalse(child.containsKey("CLAUDECODE"), "the CLI refuses to start while it is set");
    assertFalse(child.containsKey("CLAUDE_CODE_ENTRYPOINT"));
    assertEquals("512", child.get("CLAUDE_CODE_MAX_OUTPUT_TOKENS"), "the answer is capped");
    assertEquals("http://127.0.0.1:9", child.get("ANTHROPIC_BASE_URL"), "the rest is kept");
  }

  @Test
  void secretsAreRedactedBeforeTheyLeave() throws Exception {
    cli.result("{\"facts\":[]}", 1, 1);
    model(Map.of("PATH", System.getenv("PATH")))
        .call("s", "my key is " + SECRET + " and <private>my salary</private> stays", 100);
    String sent = cli.stdin();
    assertFalse(sent.contains(SECRET), sent);
    assertFalse(sent.contains("my salary"), sent);
    assertTrue(sent.contains("stays"), sent);
  }

  @Test
  void badOutcomesAreErrorsThatQuoteNothing() throws Exception {
    AgentCliChatModel m = model(Map.of("PATH", System.getenv("PATH")));
    cli.answer("I use bun, and here is some garbage\n");
    LlmException garbage = assertThrows(LlmException.class, () -> m.call("s", "I use bun", 100));
    assertFalse(garbage.getMessage().contains("bun"), garbage.getMessage());

    cli.answer("{\"type\":\"result\",\"subtype\":\"error_during_execution\",\"is_error\":true}\n");
    assertThrows(LlmException.class, () -> m.call("s", "u", 100));

    cli.answer("{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false}\n");
    assertThrows(LlmException.class, () -> m.call("s", "u", 100), "no result text");

    cli.result("{\"facts\":[]}", 1, 1).exitCode(1);
    LlmException exit = assertThrows(LlmException.class, () -> m.call("s", "u", 100));
    assertTrue(exit.getMessage().contains("status 1"), exit.getMessage());
  }

  @Test
  void aMissingCliIsAnError() {
    AgentCliChatModel m =
        new AgentCliChatModel(
            new AgentCliSettings(
                List.of(tmp.resolve("no-such-cli").toString()), null, Duration.ofSeconds(5), 10),
            Map.of());
    assertThrows(LlmException.class, () -> m.call("s", "u", 100));
  }

  @Test
  void aRunPastItsTimeoutIsKilled() throws Exception {
    cli.result("{\"facts\":[]}", 1, 1).sleepSeconds(30);
    AgentCliChatModel m =
        new AgentCliChatModel(
            settings(Duration.ofMillis(1500), 100_000), Map.of("PATH", System.getenv("PATH")));
    long t0 = System.nanoTime();
    LlmException e = assertThrows(LlmException.class, () -> m.call("s", "u", 100));
    assertTrue(e.getMessage().contains("no answer within"), e.getMessage());
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos(), "gave up in time");
    long pid = cli.pid();
    Thread.sleep(200);
    assertFalse(
        ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the CLI was killed");
  }

  @Test
  void theBudgetCountsTheCliUsageAndRefusesRunsPastTheCap() throws Exception {
    cli.result("{\"facts\":[]}", 600, 40);
    ChatModel m =
        ChatModels.forExtraction(
                settings(Duration.ofSeconds(20), 2_000),
                java.util.Optional.empty(),
                Map.of("PATH", System.getenv("PATH")),
                clock)
            .orElseThrow();
    m.complete("system", "user", 500);
    TokenBudget budget = ((BudgetedChatModel) m).budget();
    assertEquals(640, budget.usedInLastHour(), "settled with the usage the CLI reported");
    m.complete("system", "user", 500);
    assertEquals(2, cli.runs());
    // 1,280 used; the next estimate (500 answer tokens + the prompt) does not fit under 2,000
    assertThrows(TokenBudget.Exhausted.class, () -> m.complete("system", "user", 800));
    assertEquals(2, cli.runs(), "a refused call never starts the CLI");
    clock.advance(Duration.ofMinutes(61));
    m.complete("system", "user", 800);
    assertEquals(3, cli.runs(), "an hour later it runs again");
  }

  @Test
  void offSettingsMakeNoModel() {
    java.util.Optional<ChatModel> llm = java.util.Optional.of((s, u, n) -> "llm");
    assertEquals(
        llm, ChatModels.forExtraction(AgentCliSettings.off(), llm, Map.of(), clock), "the LLM");
    assertTrue(
        ChatModels.forExtraction(
                AgentCliSettings.off(), java.util.Optional.empty(), Map.of(), clock)
            .isEmpty());
  }
}
