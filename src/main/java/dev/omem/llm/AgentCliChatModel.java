package dev.omem.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.ingest.Redactor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The coding agent's own CLI as a model (issue 14): one headless run of {@code claude -p} per call,
 * with the user's sign-in, so extraction needs no API key of omem's.
 *
 * <p>The run must never become a session omem captures, nor start omem again (a Stop hook in the
 * child would capture, extract and run the CLI again, without end). So it is run:
 *
 * <ul>
 *   <li>with {@code --settings {"disableAllHooks":true}}: no hook of any settings file or plugin
 *       runs, omem's included, however it was installed;
 *   <li>with {@code OMEM_HOOKS=off} in its environment, which omem's hook script and {@code omem
 *       hook} honour: a second guard should a CLI version ignore the setting;
 *   <li>with {@code --strict-mcp-config --mcp-config {"mcpServers":{}}}: no MCP server, omem's
 *       included;
 *   <li>with {@code --no-session-persistence}: no transcript is written, so there is nothing to
 *       capture;
 *   <li>with {@code --tools ""}: no built-in tool, so text in the conversation that reads as
 *       instructions cannot make it run a command or touch a file;
 *   <li>with {@code --system-prompt} (the extraction instructions; fixed text, never the user's) in
 *       place of the agent's own, and {@code --disable-slash-commands};
 *   <li>in an empty temporary directory, so no project's {@code CLAUDE.md} or settings load.
 * </ul>
 *
 * The conversation goes in on stdin, redacted again here ({@link Redactor}: ingest redacts turns
 * when they are logged; this is the last gate before text leaves omem), never in the arguments,
 * which other users of the machine can list. {@code CLAUDECODE} and {@code CLAUDE_CODE_ENTRYPOINT}
 * are removed from the environment: a daemon started from inside a session inherits them, and the
 * CLI refuses to start a "nested" session while they are set; the run is not one. {@code
 * CLAUDE_CODE_MAX_OUTPUT_TOKENS} caps the answer at the call's token allowance.
 *
 * <p>The answer is the CLI's {@code --output-format json} result: {@code {"type":"result",
 * "is_error":false, "result":"<text>", "usage":{...}}}. Its usage (input, cache and output tokens)
 * settles the {@link TokenBudget}. A non-zero exit, a timeout (the process and its children are
 * killed), an error result or output that is not such an object is an {@link LlmException} whose
 * message never quotes the prompt or the answer.
 */
public final class AgentCliChatModel implements MeteredChatModel {
  /** Set to {@code off} in the child's environment; omem's hooks then do nothing. */
  public static final String HOOKS_VARIABLE = "OMEM_HOOKS";

  /** Variables a session sets for its children that make the CLI refuse to start. */
  static final List<String> NESTING_VARIABLES = List.of("CLAUDECODE", "CLAUDE_CODE_ENTRYPOINT");

  static final String NO_HOOKS = "{\"disableAllHooks\":true}";
  static final String NO_MCP = "{\"mcpServers\":{}}";

  private final AgentCliSettings settings;
  private final Map<String, String> baseEnv;

  /** A model running the CLI of {@code settings} in an environment based on {@code env}. */
  public AgentCliChatModel(AgentCliSettings settings, Map<String, String> env) {
    if (!settings.enabled()) {
      throw new IllegalArgumentException("the agent CLI extractor is off");
    }
    this.settings = settings;
    this.baseEnv = Map.copyOf(env);
  }

  /** The command line of one run: the CLI, then the flags that keep omem out of it. */
  List<String> command(String system) {
    List<String> cmd = new ArrayList<>(settings.command());
    cmd.addAll(
        List.of(
            "-p",
            "--output-format",
            "json",
            "--no-session-persistence",
            "--settings",
            NO_HOOKS,
            "--strict-mcp-config",
            "--mcp-config",
            NO_MCP,
            "--tools",
            "",
            "--disable-slash-commands",
            "--system-prompt",
            system));
    if (settings.model() != null) {
      cmd.add("--model");
      cmd.add(settings.model());
    }
    return cmd;
  }

  /** The child's environment: the caller's, less the nesting guard, with omem's hooks off. */
  Map<String, String> environment(int maxTokens) {
    Map<String, String> env = new HashMap<>(baseEnv);
    NESTING_VARIABLES.forEach(env::remove);
    env.put(HOOKS_VARIABLE, "off");
    env.put("CLAUDE_CODE_MAX_OUTPUT_TOKENS", Integer.toString(maxTokens));
    return env;
  }

  @Override
  public Completion call(String system, String user, int maxTokens) {
    byte[] prompt = Redactor.clean(user).getBytes(StandardCharsets.UTF_8);
    Path dir = null;
    Process p = null;
    try {
      dir = Files.createTempDirectory("omem-agent-cli"); // 0700 on POSIX
      Path out = dir.resolve(".answer.json");
      Path work = Files.createDirectory(dir.resolve("work"));
      ProcessBuilder pb =
          new ProcessBuilder(command(Redactor.clean(system)))
              .directory(work.toFile())
              .redirectOutput(out.toFile())
              .redirectError(ProcessBuilder.Redirect.DISCARD);
      pb.environment().clear();
      pb.environment().putAll(environment(maxTokens));
      p = pb.start();
      Process running = p;
      // From another thread: a CLI that exits without reading stdin must not block this one.
      Thread writer =
          new Thread(
              () -> {
                try (OutputStream in = running.getOutputStream()) {
                  in.write(prompt);
                } catch (IOException e) {
                  // the CLI closed stdin early; its exit status tells what went wrong
                }
              },
              "omem-agent-cli-stdin");
      writer.setDaemon(true);
      writer.start();
      if (!p.waitFor(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        throw new LlmException(0, "the agent CLI gave no answer within " + settings.timeout());
      }
      if (p.exitValue() != 0) {
        throw new LlmException(0, "the agent CLI exited with status " + p.exitValue());
      }
      return parse(Files.readString(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new LlmException(
          0, "the agent CLI " + settings.command().get(0) + " could not run: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LlmException(0, "interrupted while the agent CLI ran", e);
    } finally {
      if (p != null && p.isAlive()) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
      delete(dir);
    }
  }

  /** The answer text and usage of the CLI's JSON result; the last line that is one counts. */
  static Completion parse(String output) {
    JsonNode result = null;
    String[] lines = output.strip().split("\n");
    for (int i = lines.length - 1; i >= 0 && result == null; i--) {
      String line = lines[i].strip();
      if (line.startsWith("{")) {
        try {
          JsonNode n = LlmHttp.JSON.readTree(line);
          if ("result".equals(n.path("type").asText())) {
            result = n;
          }
        } catch (IOException e) {
          // not the result line
        }
      }
    }
    if (result == null) {
      throw new LlmException(0, "the agent CLI's output holds no JSON result");
    }
    if (result.path("is_error").asBoolean(false)
        || !"success".equals(result.path("subtype").asText("success"))) {
      throw new LlmException(
          0, "the agent CLI answered with an error (" + result.path("subtype").asText() + ")");
    }
    JsonNode text = result.get("result");
    if (text == null || !text.isTextual()) {
      throw new LlmException(0, "the agent CLI's result has no text");
    }
    return new Completion(text.asText(), usage(result.path("usage")));
  }

  /** Input tokens (fresh, cache writes and cache reads: each is billed or counted) and output. */
  private static Completion.Usage usage(JsonNode u) {
    if (!u.path("input_tokens").canConvertToLong() || !u.path("output_tokens").canConvertToLong()) {
      return null;
    }
    long in =
        u.path("input_tokens").asLong()
            + u.path("cache_creation_input_tokens").asLong(0)
            + u.path("cache_read_input_tokens").asLong(0);
    return new Completion.Usage(in, u.path("output_tokens").asLong());
  }

  private static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temporary directory: the OS clears it
    }
  }
}
