package dev.omem.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.hooks.TranscriptReader.Read;
import dev.omem.hooks.TranscriptReader.Turn;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transcript reader over real transcripts: the files Claude Code 2.1.197 wrote during
 * ClaudeCodeEndToEndIT (under {@code transcripts/claude-code-2.1.197/}, copied unchanged from the
 * run's temporary {@code ~/.claude/projects/}; see the README there).
 *
 * <ul>
 *   <li>{@code p-session-1.jsonl}: two turns (the second by {@code --continue}); the first calls
 *       omem's {@code memory_store} through MCP and then the {@code Agent} tool (a sub-agent), the
 *       second was preceded by a SessionStart ({@code resume}) that injected omem's block.
 *   <li>{@code p-session-1-subagent.jsonl}: that sub-agent's own lines ({@code isSidechain}); 2.1.x
 *       writes them to {@code <session>/subagents/agent-<id>.jsonl}, not to the session's file.
 *   <li>{@code p-session-2.jsonl}: omem's SessionStart block, and a reply that quotes it.
 *   <li>{@code q-session-3.jsonl}: a {@code memory_search} call and its result.
 * </ul>
 */
class ClaudeCodeTranscriptTest {
  private static final String DIR = "/transcripts/claude-code-2.1.197/";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private Path copy(String name) throws IOException {
    try (InputStream in = getClass().getResourceAsStream(DIR + name)) {
      Path p = dir.resolve(name);
      Files.write(p, in.readAllBytes());
      return p;
    }
  }

  /** The transcript's lines as JSON. */
  private static List<JsonNode> lines(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  /** Whether some line of the type holds a content block of {@code blockType}. */
  private static boolean hasBlock(List<JsonNode> lines, String lineType, String blockType) {
    for (JsonNode l : lines) {
      if (lineType.equals(l.path("type").asText())) {
        for (JsonNode b : l.path("message").path("content")) {
          if (blockType.equals(b.path("type").asText())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static void assertNoneHolds(List<Turn> turns, String... fragments) {
    for (Turn t : turns) {
      for (String f : fragments) {
        assertFalse(t.text().contains(f), "a captured turn holds '" + f + "': " + t.text());
      }
    }
  }

  @Test
  void sessionWithToolUseASubAgentAndAResumeKeepsWhatWasSaid() throws IOException {
    Path file = copy("p-session-1.jsonl");
    List<JsonNode> raw = lines(file);
    // What the file holds besides the conversation: the test is only as good as these.
    assertTrue(hasBlock(raw, "assistant", "tool_use"), "a tool call");
    assertTrue(hasBlock(raw, "user", "tool_result"), "a tool result");
    String text = Files.readString(file);
    assertTrue(text.contains("\"name\":\"mcp__plugin_omem_omem__memory_store\""), "omem's tool");
    assertTrue(text.contains("\"name\":\"Agent\""), "the sub-agent's call");
    assertTrue(text.contains("hook_additional_context"), "the resume's SessionStart context");
    assertTrue(text.contains("<omem-memories>"), "omem's block, in an attachment line");

    Read r = TranscriptReader.read(file, 0);
    assertEquals(
        List.of(
            new Turn("user", "Remember that the deploy script is scripts/ship.sh"),
            // the replies that were only tool calls add nothing
            new Turn("assistant", "Saved to memory: The deploy script is scripts/ship.sh."),
            new Turn("user", "I prefer pnpm over npm for JavaScript packages."),
            new Turn("assistant", "Noted: pnpm, not npm.")),
        r.turns());
    assertEquals(Files.size(file), r.offset());
    assertFalse(r.restarted());
    assertNoneHolds(
        r.turns(),
        "toolu_", // tool calls and results
        "\"memory\"", // memory_store's result
        "Found it", // the sub-agent's report, inside the Agent tool's result
        "agentId",
        "omem-memories",
        "Memories that omem",
        "system-reminder");
  }

  @Test
  void aStopAfterTheFirstTurnLeavesTheSecondForTheNextCapture() throws IOException {
    Path file = copy("p-session-1.jsonl");
    String text = Files.readString(file);
    // Where the Stop hook of turn 1 left off: after the line that closed turn 1.
    int secondTurn = text.indexOf("{\"type\":\"queue-operation\"", text.indexOf("\"last-prompt\""));
    assertTrue(secondTurn > 0, "the --continue turn starts with a queue-operation line");
    long offset = text.substring(0, secondTurn).getBytes(StandardCharsets.UTF_8).length;

    Read second = TranscriptReader.read(file, offset);
    assertEquals(
        List.of(
            new Turn("user", "I prefer pnpm over npm for JavaScript packages."),
            new Turn("assistant", "Noted: pnpm, not npm.")),
        second.turns());
    assertEquals(Files.size(file), second.offset());
  }

  @Test
  void subAgentLinesAreNotTheUsers() throws IOException {
    Path file = copy("p-session-1-subagent.jsonl");
    List<JsonNode> raw = lines(file);
    assertTrue(
        raw.stream()
                .filter(l -> List.of("user", "assistant").contains(l.path("type").asText()))
                .count()
            >= 2,
        "the sub-agent's task and its answer");
    assertTrue(raw.stream().allMatch(l -> l.path("isSidechain").asBoolean(false)));

    Read r = TranscriptReader.read(file, 0);
    assertEquals(List.of(), r.turns());
    assertEquals(Files.size(file), r.offset());
  }

  @Test
  void omemsBlockQuotedInAReplyIsStripped() throws IOException {
    Path file = copy("p-session-2.jsonl");
    List<JsonNode> raw = lines(file);
    boolean quoted =
        raw.stream()
            .filter(l -> "assistant".equals(l.path("type").asText()))
            .anyMatch(l -> l.path("message").toString().contains("<omem-memories>"));
    assertTrue(quoted, "the reply quotes omem's block");

    Read r = TranscriptReader.read(file, 0);
    assertEquals(
        List.of(
            new Turn("user", "Which script deploys this project?"),
            new Turn(
                "assistant", "omem showed me this:\n\nSo the deploy script is scripts/ship.sh.")),
        r.turns());
    assertNoneHolds(r.turns(), "omem-memories", "Memories that omem", "pnpm", "quoted data");
  }

  @Test
  void searchResultsAreToolOutputNotConversation() throws IOException {
    Path file = copy("q-session-3.jsonl");
    String text = Files.readString(file);
    assertTrue(text.contains("mcp__plugin_omem_omem__memory_search"));
    assertTrue(text.contains("I prefer pnpm"), "the search found the global preference");

    Read r = TranscriptReader.read(file, 0);
    assertEquals(
        List.of(
            new Turn("user", "How do we deploy this project?"),
            new Turn("assistant", "I found no deploy script on record for this project.")),
        r.turns());
    assertNoneHolds(r.turns(), "pnpm", "omem-memories");
  }
}
