package dev.omem.e2e;

import static dev.omem.e2e.ClaudeCodeEndToEndIT.awaitMemory;
import static dev.omem.e2e.ClaudeCodeEndToEndIT.claudeCommand;
import static dev.omem.e2e.ClaudeCodeEndToEndIT.gitProject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.e2e.ClaudeCodeEndToEndIT.Claude;
import dev.omem.e2e.StandInModel.Reply;
import dev.omem.e2e.StandInModel.Request;
import dev.omem.testing.BuiltJar;
import dev.omem.testing.NodeRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's agent-CLI extractor with the real Claude Code CLI ({@link ClaudeCodeEndToEndIT}'s
 * set-up: a temporary HOME, omem's plugin installed from this checkout, {@link StandInModel} as the
 * Anthropic API, no network). The data dir's config.json says {@code "extractor": "agent-cli"} with
 * the pinned CLI as the command, as {@code omem install claude-code --agent-extractor} would.
 *
 * <p>A user prompt in a session; its Stop hook's capture runs in the daemon, which runs {@code
 * claude -p} (the child) with the turns; the stand-in model answers the child's extraction request
 * with a fact worded as no local extractor would word it; that fact is stored. Then no nested run:
 * the model saw exactly one request from the child, offering no tool (no omem MCP server); a
 * user-level hook that logs every session's id ran for the user's session and never for the
 * child's; the child left no transcript; and every stored memory is of the user's session.
 */
class AgentCliExtractorIT {
  static final String PROMPT =
      "Quick thing before we start: we always deploy the billing service with ArgoCD.";
  static final String MODEL_FACT = "Deploys of the billing service go through ArgoCD";

  /** The first words of the extraction instructions (ingest.LlmExtractor.SYSTEM). */
  static final String EXTRACTION_PROMPT = "You extract durable facts from a conversation";

  /**
   * The capture starts a daemon (model load included) and then a second CLI: on this shared 2-core
   * machine under seven builds one CLI run took 12 s, so a minute was once not enough.
   */
  static final java.time.Duration EXTRACTION_TIMEOUT = java.time.Duration.ofMinutes(3);

  @TempDir Path tmp;

  private final Path base =
      Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();

  /** Extraction requests get the fact; everything else a short text answer. */
  static Reply answer(Request r) {
    if (systemText(r).contains(EXTRACTION_PROMPT)) {
      return Reply.text(
          "{\"facts\":[{\"text\":\""
              + MODEL_FACT
              + "\",\"category\":\"patterns\",\"tags\":[\"deploy\",\"argocd\"],"
              + "\"importance\":0.8,\"confidence\":0.95}]}");
    }
    return Reply.text("Noted: ArgoCD for the billing service.");
  }

  static String systemText(Request r) {
    StringBuilder sb = new StringBuilder();
    JsonNode s = r.body().path("system");
    if (s.isTextual()) {
      sb.append(s.asText());
    }
    s.forEach(b -> sb.append(b.path("text").asText()).append('\n'));
    return sb.toString();
  }

  @Test
  void aStopCaptureExtractsThroughTheCliAndStartsNoNestedRun() throws Exception {
    NodeRunner.requireNode("the agent-CLI extractor test");
    NodeRunner.ensureInstalled(base.resolve("src/test/node"));
    Path jar = BuiltJar.path();
    Path home = Files.createDirectories(tmp.resolve("home"));
    List<String> cli = claudeCommand(base.resolve("src/test/node/node_modules"), home);
    Path data = tmp.resolve("omem-data");
    Files.createDirectories(
        data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.writeString(
        data.resolve("config.json"),
        "{\"extractor\":\"agent-cli\",\"agent_cli\":"
            + StandInModel.JSON.writeValueAsString(String.join(" ", cli))
            + "}");
    // A user-level hook of the user's own that logs each session's hook input.
    Path hookLog = tmp.resolve("hook-log.jsonl");
    Path logger = tmp.resolve("log-hook");
    Files.writeString(
        logger, "#!/usr/bin/env bash\ncat >> '" + hookLog + "'\necho >> '" + hookLog + "'\n");
    Files.setPosixFilePermissions(logger, PosixFilePermissions.fromString("rwx------"));
    String command = "{\"hooks\":[{\"type\":\"command\",\"command\":\"" + logger + "\"}]}";
    Files.createDirectories(home.resolve(".claude"));
    Files.writeString(
        home.resolve(".claude/settings.json"),
        "{\"hooks\":{\"SessionStart\":[" + command + "],\"Stop\":[" + command + "]}}");
    Path p = gitProject(tmp.resolve("projects/billing"), "https://example.com/acme/billing.git");

    try (StandInModel model = StandInModel.start(AgentCliExtractorIT::answer)) {
      Claude claude = new Claude(cli, home, model.baseUrl(), data, jar);
      try {
        install(claude);
        JsonNode result = claude.prompt(p, PROMPT);
        String session = result.path("session_id").asText();

        JsonNode stored =
            awaitMemory(
                data, m -> MODEL_FACT.equals(m.path("content").asText()), EXTRACTION_TIMEOUT);
        assertEquals(session, stored.path("session_id").asText(), stored.toString());
        assertEquals("insight", stored.path("memory_type").asText(), stored.toString());

        // ---- exactly one request from the extractor's run, with no tool offered ----
        List<Request> messages = model.requests().stream().filter(Request::isMessages).toList();
        List<Request> extraction =
            messages.stream().filter(r -> systemText(r).contains(EXTRACTION_PROMPT)).toList();
        assertEquals(1, extraction.size(), "one extraction request: " + sessions(messages));
        Request child = extraction.get(0);
        String childSession = child.sessionId();
        assertNotEquals(session, childSession, "the extraction ran in a session of its own");
        assertTrue(child.toolNames().isEmpty(), "no tool, no omem MCP tool: " + child.toolNames());
        assertTrue(child.allText().contains("ArgoCD"), "the captured turn was sent");
        assertFalse(child.allText().contains("<omem-memories>"), "no SessionStart injection");
        for (Request r : messages) {
          assertTrue(
              session.equals(r.sessionId()) || r == child,
              "every request is the user's session's or the one extraction: " + sessions(messages));
        }

        // ---- no hook ran in the child, and it left nothing to capture ----
        String log = Files.exists(hookLog) ? Files.readString(hookLog) : "";
        assertTrue(log.contains(session), "the logging hook runs in the user's session: " + log);
        assertFalse(log.contains(childSession), "a hook ran in the extractor's run: " + log);
        try (Stream<Path> files = Files.walk(home.resolve(".claude"))) {
          assertTrue(
              files.noneMatch(f -> f.getFileName().toString().contains(childSession)),
              "the extractor's run left a transcript");
        }
        assertNull(
            anyMemoryOf(data, childSession), "a memory was captured from the extractor's run");
      } finally {
        stopDaemon(jar, data);
        keep(data.resolve("daemon.log"));
        keep(hookLog);
      }
    }
  }

  /** A memory of {@code sessionId}, waiting a few seconds in case a capture is still queued. */
  private static JsonNode anyMemoryOf(Path data, String sessionId) throws Exception {
    try {
      return ClaudeCodeEndToEndIT.awaitMemory(
          data,
          m -> sessionId.equals(m.path("session_id").asText()),
          java.time.Duration.ofSeconds(5));
    } catch (AssertionError none) {
      return null;
    }
  }

  /** Copies a file to {@code target/agent-cli-e2e/} for inspection. */
  private void keep(Path file) throws java.io.IOException {
    Path out = Files.createDirectories(base.resolve("target/agent-cli-e2e"));
    if (Files.exists(file)) {
      Files.copy(
          file, out.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static Set<String> sessions(List<Request> requests) {
    Set<String> s = new TreeSet<>();
    requests.forEach(r -> s.add(r.sessionId()));
    return s;
  }

  private void install(Claude claude) throws Exception {
    NodeRunner.Run added = claude.run(base, "plugin", "marketplace", "add", base.toString());
    assertEquals(0, added.exitCode(), "marketplace add failed:\n" + added.output());
    NodeRunner.Run installed =
        claude.run(base, "plugin", "install", "omem@omem", "--scope", "user");
    assertEquals(0, installed.exitCode(), "plugin install failed:\n" + installed.output());
  }

  private static void stopDaemon(Path jar, Path data) throws Exception {
    NodeRunner.run(
        List.of("java", "-jar", jar.toString(), "daemon", "stop", "--home", data.toString()),
        data,
        env -> env.keySet().removeIf(k -> k.startsWith("OMEM_")),
        1);
  }
}
