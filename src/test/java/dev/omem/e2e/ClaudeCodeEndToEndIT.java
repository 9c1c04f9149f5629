package dev.omem.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.e2e.StandInModel.Reply;
import dev.omem.e2e.StandInModel.Request;
import dev.omem.testing.BuiltJar;
import dev.omem.testing.NodeRunner;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5, shown with the real Claude Code CLI ({@code @anthropic-ai/claude-code}, pinned in {@code
 * src/test/node/package.json}) running headless against {@link StandInModel}, a scripted Anthropic
 * Messages API served by this test, with omem's plugin installed from this repository's marketplace
 * ({@code claude plugin marketplace add <checkout>}, {@code claude plugin install omem@omem}) into
 * a temporary {@code HOME}: the plugin's MCP server and hooks run for real, through its launcher,
 * against a temporary data dir.
 *
 * <ol>
 *   <li>Session 1 in project P (a git repo with an origin, so its project key is stable), two turns
 *       ({@code --continue}): "Remember that the deploy script is scripts/ship.sh" makes the model
 *       call {@code memory_store} through MCP (and, for the transcript, hand a task to a
 *       sub-agent); then the user states a preference, which nothing stores but the Stop hook's
 *       capture.
 *   <li>Session 2 in P: the first request the model gets holds the SessionStart block with the
 *       stored memory and the captured preference.
 *   <li>Session 3 in project Q: the SessionStart block holds the preference (profile and preference
 *       memories are global, DESIGN.md decision 6) but not P's memory, and neither does anything
 *       else the model is shown in that session, a {@code memory_search} for it included.
 * </ol>
 *
 * The two turns of session 1 are separate prompts on purpose: a captured turn is stored whole, and
 * a turn that mixes a project fact with a preference is classified a preference, which is global;
 * the project fact would then show up in Q too.
 *
 * <p>Needs Node.js (the CLI is an npm package; {@code npm ci} in {@code src/test/node}), git and
 * Java. No network: the CLI's auto-updater, telemetry and other traffic are switched off by the
 * environment in {@link #claudeEnvironment}. Its transcripts and the requests the model got are
 * copied to {@code target/claude-code-e2e/} for inspection; the transcripts kept as test resources
 * ({@code src/test/resources/transcripts/claude-code-<version>/}) came from this run.
 */
class ClaudeCodeEndToEndIT {
  static final String CLI_VERSION = "2.1.197";
  static final String MARKETPLACE = "omem";
  static final String PLUGIN = "omem";

  /** Tool names of the plugin's MCP server: {@code mcp__plugin_<plugin>_<server>__<tool>}. */
  static final String TOOL_PREFIX = "mcp__plugin_omem_omem__";

  static final String STORE = TOOL_PREFIX + "memory_store";
  static final String SEARCH = TOOL_PREFIX + "memory_search";

  static final String DEPLOY_FACT = "The deploy script is scripts/ship.sh";
  static final String P_ONLY = "scripts/ship.sh";
  static final String PREFERENCE = "I prefer pnpm over npm for JavaScript packages.";
  static final String PREFERENCE_WORD = "pnpm";

  static final String PROMPT_REMEMBER = "Remember that the deploy script is scripts/ship.sh";
  static final String PROMPT_PREFER = PREFERENCE;
  static final String PROMPT_P_AGAIN = "Which script deploys this project?";
  static final String PROMPT_Q = "How do we deploy this project?";
  static final String SUBAGENT_TASK = "[sub-agent] Look up where the deploy script lives.";

  static final String STORE_CALL = "toolu_e2e_store";
  static final String AGENT_CALL = "toolu_e2e_agent";
  static final String SEARCH_CALL = "toolu_e2e_search";

  /** omem's SessionStart and UserPromptSubmit context: {@code <omem-memories>…</omem-memories>}. */
  static final Pattern OMEM_BLOCK =
      Pattern.compile("<omem-memories>.*?</omem-memories>", Pattern.DOTALL);

  static final long CLI_MINUTES = 3;
  static final Duration CAPTURE_TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path tmp;

  private final Path base =
      Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
  private final Path out = base.resolve("target/claude-code-e2e");

  @Test
  void pluginRecallsAcrossSessionsAndKeepsProjectsApart() throws Exception {
    NodeRunner.requireNode("the Claude Code end-to-end test");
    NodeRunner.ensureInstalled(base.resolve("src/test/node"));
    Path jar = BuiltJar.path();
    Path home = Files.createDirectories(tmp.resolve("home"));
    List<String> cli = claudeCommand(base.resolve("src/test/node/node_modules"), home);
    Path data = tmp.resolve("omem-data");
    Path p = gitProject(tmp.resolve("projects/shop"), "https://example.com/acme/shop.git");
    Path q = gitProject(tmp.resolve("projects/blog"), "https://example.com/acme/blog.git");

    try (StandInModel model = StandInModel.start(new SessionScript())) {
      Claude claude = new Claude(cli, home, model.baseUrl(), data, jar);
      try {
        installPlugin(claude);

        // ---- session 1 in P: memory_store through MCP, a sub-agent, then a preference ----
        JsonNode s1 = claude.prompt(p, PROMPT_REMEMBER);
        String session1 = s1.path("session_id").asText();
        JsonNode s1b = claude.prompt(p, PROMPT_PREFER, "--continue");
        assertEquals(session1, s1b.path("session_id").asText(), "--continue keeps the session");

        List<Request> first = mainRequests(model, session1);
        assertFalse(first.isEmpty(), "the model got no request in session 1");
        assertTrue(
            first.get(0).toolNames().contains(STORE),
            "the plugin's MCP tools are offered to the model: " + first.get(0).toolNames());
        assertTrue(
            first.get(0).allText().contains("omem:remember")
                && first.get(0).allText().contains("omem:recall"),
            "the plugin's skills are listed to the model");
        assertFalse(
            OMEM_BLOCK.matcher(first.get(0).allText()).find(),
            "with an empty store SessionStart adds nothing");
        JsonNode stored = toolResult(model, session1, STORE_CALL);
        assertNotNull(stored, "memory_store's result came back to the model");
        assertFalse(stored.path("is_error").asBoolean(false), "memory_store failed: " + stored);
        assertTrue(text(stored).contains(P_ONLY), "memory_store stored the fact: " + stored);
        assertTrue(
            text(stored).contains("project:example.com/acme/shop"),
            "the MCP server stored it in P's project scope: " + stored);
        JsonNode agent = toolResult(model, session1, AGENT_CALL);
        assertNotNull(agent, "the sub-agent's report came back to the model");

        // The Stop hook's capture runs in the daemon after the hook answered: wait for it.
        JsonNode preference =
            awaitMemory(data, m -> m.path("content").asText().contains(PREFERENCE_WORD));
        assertEquals("preferences", preference.path("category").asText(), preference.toString());
        assertEquals("global", preference.path("scope").asText(), preference.toString());
        assertEquals(session1, preference.path("session_id").asText(), preference.toString());
        // a fact extracted from a captured turn (smart ingest), not a memory_store call (pinned)
        assertEquals("insight", preference.path("memory_type").asText(), preference.toString());

        // ---- session 2 in P: the SessionStart context holds both ----
        JsonNode s2 = claude.prompt(p, PROMPT_P_AGAIN);
        String session2 = s2.path("session_id").asText();
        assertFalse(session1.equals(session2), "a new session");
        List<Request> second = mainRequests(model, session2);
        assertFalse(second.isEmpty(), "the model got no request in session 2");
        String block2 = omemBlock(second.get(0));
        assertTrue(block2.contains(P_ONLY), "session 2's context holds the stored fact: " + block2);
        assertTrue(
            block2.contains(PREFERENCE_WORD),
            "session 2's context holds the captured preference: " + block2);

        // ---- session 3 in Q: the global preference, none of P's memories ----
        JsonNode s3 = claude.prompt(q, PROMPT_Q);
        String session3 = s3.path("session_id").asText();
        List<Request> third = mainRequests(model, session3);
        assertFalse(third.isEmpty(), "the model got no request in session 3");
        String block3 = omemBlock(third.get(0));
        assertTrue(
            block3.contains(PREFERENCE_WORD),
            "the global preference reaches every project: " + block3);
        assertFalse(block3.contains(P_ONLY), "P's memory leaked into Q's context: " + block3);
        JsonNode searched = toolResult(model, session3, SEARCH_CALL);
        assertNotNull(searched, "memory_search's result came back to the model in Q");
        assertFalse(
            searched.path("is_error").asBoolean(false), "memory_search failed: " + searched);
        assertTrue(
            text(searched).contains(PREFERENCE_WORD), "the search in Q sees global memories");
        for (Request r : model.requests()) {
          if (session3.equals(r.sessionId())) {
            assertFalse(
                r.allText().contains(P_ONLY),
                "a request of the session in Q shows P's memory to the model:\n" + r.allText());
          }
        }
      } finally {
        keepForInspection(model, home);
        stopDaemon(jar, data);
      }
    }
  }

  // ---- the scripted model ----

  /**
   * The stand-in model's script: what it answers depends on the prompt it was given and the tool
   * results that came back, so a request's place in the sequence does not matter.
   */
  static final class SessionScript implements StandInModel.Script {
    @Override
    public Reply apply(Request r) {
      if (r.firstUserText().contains(SUBAGENT_TASK)) {
        return Reply.text("Found it: " + DEPLOY_FACT + ".");
      }
      // A new prompt first: on --continue the CLI sends the last turn's tool results in the same
      // user message as the new prompt.
      List<String> pending = r.pendingUserTexts();
      if (pending.contains(PROMPT_REMEMBER) && r.toolNames().contains(STORE)) {
        return Reply.toolUse(STORE_CALL, STORE, Map.of("content", DEPLOY_FACT));
      }
      if (pending.contains(PROMPT_PREFER)) {
        return Reply.text("Noted: pnpm, not npm.");
      }
      if (pending.contains(PROMPT_P_AGAIN)) {
        // Quotes the context it was given, as models do: the transcript then holds omem's block
        // in an assistant turn, which capture must strip (the transcript test reads this one).
        Matcher block = OMEM_BLOCK.matcher(r.allText());
        return Reply.text(
            "omem showed me this:\n"
                + (block.find() ? block.group() : "(nothing)")
                + "\nSo the deploy script is scripts/ship.sh.");
      }
      if (pending.contains(PROMPT_Q) && r.toolNames().contains(SEARCH)) {
        // min_score 0: this search checks which scopes Q reads, not the relevance floor.
        return Reply.toolUse(SEARCH_CALL, SEARCH, Map.of("query", "deploy script", "min_score", 0));
      }
      List<String> results =
          r.lastToolResults().stream().map(b -> b.path("tool_use_id").asText()).toList();
      if (results.contains(AGENT_CALL)) {
        return Reply.text("Saved to memory: " + DEPLOY_FACT + ".");
      }
      if (results.contains(STORE_CALL)) {
        return Reply.toolUse(
            AGENT_CALL,
            "Agent",
            Map.of(
                "description",
                "Find the deploy script",
                "prompt",
                SUBAGENT_TASK,
                "subagent_type",
                "general-purpose"));
      }
      if (results.contains(SEARCH_CALL)) {
        return Reply.text("I found no deploy script on record for this project.");
      }
      return Reply.text("Done.");
    }
  }

  // ---- the CLI ----

  /** Runs the Claude Code CLI with a temporary HOME, the stand-in model and omem's data dir. */
  record Claude(List<String> cli, Path home, String modelUrl, Path data, Path jar) {
    NodeRunner.Run run(Path dir, String... args) throws IOException, InterruptedException {
      List<String> cmd = new ArrayList<>(cli);
      cmd.addAll(List.of(args));
      return NodeRunner.run(cmd, dir, env -> claudeEnvironment(env, this), CLI_MINUTES);
    }

    /** One headless turn: {@code claude -p <prompt> --output-format json}; its result object. */
    JsonNode prompt(Path project, String prompt, String... more) throws Exception {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "-p",
                  prompt,
                  "--output-format",
                  "json",
                  // every tool of the plugin's MCP server; the Task tool for the sub-agent
                  "--allowedTools",
                  "mcp__plugin_omem_omem",
                  "Agent"));
      args.addAll(List.of(more));
      NodeRunner.Run run = run(project, args.toArray(String[]::new));
      assertEquals(0, run.exitCode(), "claude -p failed:\n" + run.output());
      JsonNode result = lastJsonLine(run.output());
      assertEquals("success", result.path("subtype").asText(), run.output());
      assertFalse(result.path("is_error").asBoolean(true), run.output());
      return result;
    }
  }

  /**
   * How to start the CLI: {@code node_modules/.bin/claude}, the native binary the package's
   * postinstall script put there; or, when install scripts did not run (npm's {@code
   * --ignore-scripts}, or a future npm that asks for them to be allowed), the package's own
   * fallback, {@code node cli-wrapper.cjs}, which starts the same binary. Either must say it is the
   * pinned version.
   */
  static List<String> claudeCommand(Path nodeModules, Path home) throws Exception {
    Path pkg = nodeModules.resolve("@anthropic-ai/claude-code");
    assertTrue(Files.isDirectory(pkg), "the Claude Code CLI is not installed in " + nodeModules);
    List<List<String>> candidates =
        List.of(
            List.of(nodeModules.resolve(".bin/claude").toString()),
            List.of(
                NodeRunner.requireNode("the Claude Code CLI").toString(),
                pkg.resolve("cli-wrapper.cjs").toString()));
    String tried = "";
    for (List<String> c : candidates) {
      List<String> cmd = new ArrayList<>(c);
      cmd.add("--version");
      NodeRunner.Run v =
          NodeRunner.run(
              cmd,
              nodeModules,
              env -> {
                env.keySet().removeIf(k -> k.startsWith("CLAUDE") || k.startsWith("ANTHROPIC"));
                env.put("HOME", home.toString());
              },
              1);
      if (v.exitCode() == 0 && v.output().contains(CLI_VERSION + " (Claude Code)")) {
        return c;
      }
      tried += String.join(" ", cmd) + " -> exit " + v.exitCode() + ": " + v.output() + "\n";
    }
    fail("no runnable Claude Code " + CLI_VERSION + " in " + nodeModules + ":\n" + tried);
    return null;
  }

  /**
   * The CLI's environment: none of the caller's Claude, Anthropic or omem settings (a developer may
   * run this from inside Claude Code); the temporary HOME; the stand-in model; no network.
   */
  static void claudeEnvironment(Map<String, String> env, Claude c) {
    env.keySet()
        .removeIf(
            k ->
                k.startsWith("CLAUDE")
                    || k.startsWith("ANTHROPIC")
                    || k.startsWith("OMEM_")
                    || k.startsWith("MCP_")
                    || k.startsWith("XDG_"));
    env.put("HOME", c.home().toString());
    env.put("ANTHROPIC_BASE_URL", c.modelUrl());
    env.put("ANTHROPIC_API_KEY", "sk-ant-test");
    env.put("OMEM_HOME", c.data().toString());
    env.put("OMEM_JAR", c.jar().toString());
    // Offline: no update check, no telemetry or error reporting, no other traffic.
    env.put("DISABLE_AUTOUPDATER", "1");
    env.put("DISABLE_TELEMETRY", "1");
    env.put("DISABLE_ERROR_REPORTING", "1");
    env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
    // In -p mode 2.1.x connects MCP servers in the background and may send the first request
    // before omem's tools are listed; this makes it wait for them (up to MCP_TIMEOUT).
    env.put("MCP_CONNECTION_NONBLOCKING", "0");
    env.put("MCP_TIMEOUT", "60000");
  }

  private void installPlugin(Claude claude) throws Exception {
    NodeRunner.Run added = claude.run(base, "plugin", "marketplace", "add", base.toString());
    assertEquals(0, added.exitCode(), "marketplace add failed:\n" + added.output());
    NodeRunner.Run installed =
        claude.run(base, "plugin", "install", PLUGIN + "@" + MARKETPLACE, "--scope", "user");
    assertEquals(0, installed.exitCode(), "plugin install failed:\n" + installed.output());
    NodeRunner.Run listed = claude.run(base, "plugin", "list");
    assertTrue(
        listed.output().contains(PLUGIN + "@" + MARKETPLACE),
        "plugin list names omem:\n" + listed.output());
  }

  // ---- what the model received ----

  /** The session's requests of the main conversation (those that offer omem's tools), in order. */
  static List<Request> mainRequests(StandInModel model, String sessionId) {
    return model.requests().stream()
        .filter(r -> r.isMessages() && sessionId.equals(r.sessionId()))
        .filter(r -> r.toolNames().contains(STORE))
        .toList();
  }

  /** The {@code tool_result} block for a tool call, from any request of the session. */
  static JsonNode toolResult(StandInModel model, String sessionId, String toolUseId) {
    for (Request r : model.requests()) {
      if (!sessionId.equals(r.sessionId())) {
        continue;
      }
      for (JsonNode m : r.body().path("messages")) {
        for (JsonNode b : m.path("content")) {
          if ("tool_result".equals(b.path("type").asText())
              && toolUseId.equals(b.path("tool_use_id").asText())) {
            return b;
          }
        }
      }
    }
    return null;
  }

  /**
   * The {@code <omem-memories>} block the request shows the model; fails when there is none.
   * 2.1.197 sends SessionStart's {@code additionalContext} as a message of role {@code system} in
   * {@code messages} ("SessionStart hook additional context: …"), after the first user message.
   */
  static String omemBlock(Request r) {
    Matcher m = OMEM_BLOCK.matcher(r.allText());
    if (!m.find()) {
      fail("no <omem-memories> block in the first request of the session:\n" + r.allText());
    }
    return m.group();
  }

  static String text(JsonNode toolResult) {
    JsonNode c = toolResult.path("content");
    if (c.isTextual()) {
      return c.asText();
    }
    StringBuilder sb = new StringBuilder();
    c.forEach(b -> sb.append(b.path("text").asText()).append('\n'));
    return sb.toString();
  }

  static JsonNode lastJsonLine(String output) throws IOException {
    String[] lines = output.strip().split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (lines[i].startsWith("{")) {
        return StandInModel.JSON.readTree(lines[i]);
      }
    }
    fail("no JSON result in the CLI's output:\n" + output);
    return null;
  }

  // ---- the store, through the daemon's REST API ----

  /** Polls the daemon's memories until one matches, for up to {@link #CAPTURE_TIMEOUT}. */
  static JsonNode awaitMemory(Path data, Predicate<JsonNode> wanted) throws Exception {
    return awaitMemory(data, wanted, CAPTURE_TIMEOUT);
  }

  /** As {@link #awaitMemory(Path, Predicate)}, for up to {@code timeout}. */
  static JsonNode awaitMemory(Path data, Predicate<JsonNode> wanted, Duration timeout)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "(no daemon answered)";
    while (System.nanoTime() < deadline) {
      Optional<JsonNode> daemon = readJson(data.resolve("daemon.json"));
      if (daemon.isPresent()) {
        try {
          HttpResponse<String> res =
              http.send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:"
                                  + daemon.get().path("port").asInt()
                                  + "/v1/memories?scope=all&limit=200"))
                      .header("X-API-Key", daemon.get().path("token").asText())
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          last = res.statusCode() + " " + res.body();
          if (res.statusCode() == 200) {
            for (JsonNode m : StandInModel.JSON.readTree(res.body()).path("memories")) {
              if (wanted.test(m)) {
                return m;
              }
            }
          }
        } catch (IOException e) {
          last = e.toString(); // the daemon is restarting: try again
        }
      }
      Thread.sleep(500);
    }
    fail("no such memory within " + timeout + "; the store holds: " + last);
    return null;
  }

  static Optional<JsonNode> readJson(Path file) {
    try {
      return Optional.of(StandInModel.JSON.readTree(Files.readString(file)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void stopDaemon(Path jar, Path data) throws Exception {
    if (!Files.exists(data)) {
      return;
    }
    NodeRunner.Run stop =
        NodeRunner.run(
            List.of("java", "-jar", jar.toString(), "daemon", "stop", "--home", data.toString()),
            data,
            env -> env.keySet().removeIf(k -> k.startsWith("OMEM_")),
            1);
    if (stop.exitCode() != 0) {
      // Not an assertion: it runs in a finally block and must not hide the test's own failure.
      System.err.println(
          "omem daemon stop failed (exit " + stop.exitCode() + "):\n" + stop.output());
    }
  }

  // ---- set-up and keeping the evidence ----

  static Path gitProject(Path dir, String origin) throws Exception {
    Files.createDirectories(dir);
    for (List<String> cmd :
        List.of(List.of("git", "init", "-q"), List.of("git", "remote", "add", "origin", origin))) {
      NodeRunner.Run r = NodeRunner.run(cmd, dir, env -> {}, 1);
      assertEquals(0, r.exitCode(), String.join(" ", cmd) + ":\n" + r.output());
    }
    return dir.toRealPath();
  }

  /** Copies the CLI's transcripts and the requests the model got to {@code target/}. */
  private void keepForInspection(StandInModel model, Path home) throws IOException {
    Path transcripts = out.resolve("transcripts");
    if (Files.isDirectory(out)) {
      try (Stream<Path> old = Files.walk(out)) {
        old.sorted(java.util.Comparator.reverseOrder()).forEach(ClaudeCodeEndToEndIT::delete);
      }
    }
    Files.createDirectories(transcripts);
    Path projects = home.resolve(".claude/projects");
    if (Files.isDirectory(projects)) {
      try (Stream<Path> files = Files.walk(projects)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          Path to = transcripts.resolve(projects.relativize(f).toString());
          Files.createDirectories(to.getParent());
          Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    StringBuilder log = new StringBuilder();
    for (Request r : model.requests()) {
      var line = StandInModel.JSON.createObjectNode();
      line.put("method", r.method()).put("path", r.path()).put("session", r.sessionId());
      line.set("body", r.body());
      log.append(line).append('\n');
    }
    Files.writeString(out.resolve("requests.jsonl"), log, StandardCharsets.UTF_8);
  }

  private static void delete(Path p) {
    try {
      Files.delete(p);
    } catch (IOException e) {
      // kept: the next run overwrites what it copies
    }
  }
}
