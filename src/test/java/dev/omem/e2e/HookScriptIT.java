package dev.omem.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omem.testing.BuiltJar;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hook script as Claude Code runs it ({@code bash .../hooks/omem-hook <Event>}, the hook's JSON
 * on stdin) against the built jar: a warm daemon answered through curl, the launcher fallback that
 * starts a daemon, and nothing reachable at all, which must still answer {@code {}} and exit 0,
 * quickly.
 */
class HookScriptIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SCRIPT =
      Path.of("plugins/claude-code/hooks/omem-hook").toAbsolutePath();
  private static final Path LINK = Path.of("hooks/omem-hook").toAbsolutePath();
  private static final String SESSION = "3b8f6c2e-9a1d-4e5f-8b7c-6d5e4f3a2b1c";

  /** What one run of the script did. */
  record Run(int exit, String out, String err, long millis) {
    JsonNode json() throws IOException {
      return JSON.readTree(out);
    }

    String context() throws IOException {
      return json().path("hookSpecificOutput").path("additionalContext").asText(null);
    }
  }

  @TempDir static Path tmp;
  static Path jar;
  static Path home;
  static Path project;
  static final List<Path> homes = new ArrayList<>();

  @BeforeAll
  static void startDaemon() throws Exception {
    jar = BuiltJar.path();
    home = tmp.resolve("home");
    project = tmp.resolve("app");
    Files.createDirectories(project.resolve(".git"));
    Files.writeString(
        project.resolve(".git/config"),
        "[remote \"origin\"]\n\turl = git@github.com:acme/app.git\n");
    homes.add(home);
    assertEquals(0, omem(home, "daemon", "start"), "the daemon starts");
    assertEquals(0, omem(home, "store", "Deploys of the app go through ArgoCD from main"));
    assertEquals(0, omem(home, "store", "The staging database runs Postgres 16 on port 5433"));
  }

  @AfterAll
  static void stopDaemons() throws Exception {
    for (Path h : homes) {
      omem(h, "daemon", "stop");
    }
  }

  /** Runs {@code java -jar omem.jar <args>} in the project directory; returns the exit code. */
  static int omem(Path h, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("java", "-jar", jar.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile());
    env(pb.environment(), h);
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "omem " + String.join(" ", args));
    return p.exitValue();
  }

  private static void env(Map<String, String> env, Path h) {
    env.put("OMEM_HOME", h.toString());
    env.remove("OMEM_API_URL");
    env.remove("OMEM_API_KEY");
    env.remove("OMEM_DAEMON");
    // A daemon a failed test leaves behind goes away on its own.
    env.put("OMEM_DAEMON_IDLE_SECONDS", "300");
  }

  /** Runs the hook script as Claude Code does; {@code path} first, so PATH can hide omem. */
  static Run hook(Path script, Path h, String path, String event, String input) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), event);
    env(pb.environment(), h);
    if (path != null) {
      pb.environment().put("PATH", path);
    }
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    long t0 = System.nanoTime();
    Process p = pb.start();
    p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the hook ends");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    return new Run(p.exitValue(), Files.readString(out).strip(), Files.readString(err).strip(), ms);
  }

  static String input(String event, String... fields) {
    ObjectNode in = JSON.createObjectNode();
    in.put("session_id", SESSION);
    in.put("transcript_path", tmp.resolve("none.jsonl").toString());
    in.put("cwd", project.toString());
    in.put("hook_event_name", event);
    in.put("permission_mode", "default");
    for (int i = 0; i < fields.length; i += 2) {
      in.put(fields[i], fields[i + 1]);
    }
    return in.toString();
  }

  @Test
  void aWarmDaemonAnswersEveryEventThroughTheScript() throws Exception {
    Run start =
        hook(SCRIPT, home, null, "SessionStart", input("SessionStart", "source", "startup"));
    assertEquals(0, start.exit(), start.err());
    assertEquals("", start.err());
    assertEquals(
        "SessionStart", start.json().path("hookSpecificOutput").path("hookEventName").asText());
    assertTrue(start.context().contains("ArgoCD from main"), start.out());
    assertTrue(start.context().contains("github.com/acme/app"), start.out());

    // Through the repository's link, in another session: the same.
    Run viaLink =
        hook(LINK, home, null, "SessionStart", input("SessionStart", "session_id", "other"));
    assertEquals(start.context(), viaLink.context());

    Run unrelated =
        hook(
            SCRIPT,
            home,
            null,
            "UserPromptSubmit",
            input("UserPromptSubmit", "prompt", "Write a haiku about autumn leaves"));
    assertEquals("{}", unrelated.out());
    assertEquals(0, unrelated.exit());

    Path t = tmp.resolve("projects/-app/" + SESSION + ".jsonl");
    Files.createDirectories(t.getParent());
    try (InputStream in =
        HookScriptIT.class.getResourceAsStream("/transcripts/session-basic.jsonl")) {
      Files.write(t, in.readAllBytes());
    }
    Run stop = hook(SCRIPT, home, null, "Stop", input("Stop", "transcript_path", t.toString()));
    assertEquals("{}", stop.out());
    assertEquals(0, stop.exit());
    assertTrue(waitForCaptured(home, 3), "Stop's capture lands in the store");
  }

  /** Polls the daemon (its token from daemon.json) until {@code n} captured memories exist. */
  static boolean waitForCaptured(Path h, int n) throws Exception {
    JsonNode daemon = JSON.readTree(Files.readString(h.resolve("daemon.json")));
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest req =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + daemon.path("port").asInt()
                        + "/v1/memories?scope=all&limit=200"))
            .header("X-API-Key", daemon.path("token").asText())
            .build();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      JsonNode page = JSON.readTree(client.send(req, HttpResponse.BodyHandlers.ofString()).body());
      int captured = 0;
      for (JsonNode m : page.path("memories")) {
        if (m.path("agent_id").asText().equals("claude-code")) {
          captured++;
        }
      }
      if (captured >= n) {
        return captured == n;
      }
      Thread.sleep(100);
    }
    return false;
  }

  /** The script copied where no launcher sits next to it (an installed plugin without bin/). */
  static Path lonelyScript(String name) throws IOException {
    Path s = tmp.resolve(name + "/hooks/omem-hook");
    Files.createDirectories(s.getParent());
    Files.copy(SCRIPT, s);
    return s;
  }

  @Test
  void withNothingReachableTheHookAnswersEmptyAndExitsZeroQuickly() throws Exception {
    Path script = lonelyScript("lonely");
    Path empty = tmp.resolve("empty-home");
    Files.createDirectories(empty);
    for (String event :
        List.of("SessionStart", "UserPromptSubmit", "Stop", "PreCompact", "SessionEnd")) {
      Run r = hook(script, empty, "/usr/bin:/bin", event, input(event));
      assertEquals(0, r.exit(), event);
      assertEquals("{}", r.out(), event);
      assertEquals(1, r.err().lines().count(), "one line on stderr: " + r.err());
      assertTrue(r.err().contains("not reachable"), r.err());
      assertTrue(r.millis() < 2_000, event + " took " + r.millis() + " ms");
    }
    // A daemon file left by a dead daemon: curl is refused at once.
    Files.writeString(
        empty.resolve("daemon.json"),
        "{\"pid\":999999,\"port\":1,\"token\":\"omem_x\",\"version\":\"0\",\"built\":\"0\"}");
    Run stale = hook(script, empty, "/usr/bin:/bin", "SessionStart", input("SessionStart"));
    assertEquals("{}", stale.out());
    assertEquals(0, stale.exit());
    assertTrue(stale.millis() < 3_000, "took " + stale.millis() + " ms");
    // Garbage in, an unknown event: still {} and exit 0.
    Run bad = hook(script, empty, "/usr/bin:/bin", "Notification", "not json");
    assertEquals("{}", bad.out());
    assertEquals(0, bad.exit());
  }

  @Test
  void withNoDaemonTheLauncherStartsOneAndLaterCallsUseIt() throws Exception {
    Path script = lonelyScript("plugin");
    Path launcher = script.getParent().getParent().resolve("bin/omem");
    Files.createDirectories(launcher.getParent());
    Files.writeString(launcher, "#!/bin/sh\nexec java -jar '" + jar + "' \"$@\"\n");
    assertTrue(launcher.toFile().setExecutable(true));
    Path fresh = tmp.resolve("fresh-home");
    homes.add(fresh);

    Run first = hook(script, fresh, "/usr/bin:/bin", "SessionStart", input("SessionStart"));
    assertEquals(0, first.exit(), first.err());
    assertEquals("{}", first.out(), "an empty store has nothing to inject");
    assertTrue(Files.exists(fresh.resolve("daemon.json")), "the launcher started a daemon");

    Run second =
        hook(
            script,
            fresh,
            "/usr/bin:/bin",
            "UserPromptSubmit",
            input("UserPromptSubmit", "prompt", "hello there"));
    assertEquals("{}", second.out());
    assertEquals("", second.err(), "answered by the daemon, no fallback");
    assertFalse(second.millis() > 2_000, "took " + second.millis() + " ms");

    // omem hook itself, misused: still {} on stdout and exit 0.
    for (List<String> args :
        List.of(List.of("hook"), List.of("hook", "Bogus"), List.of("hook", "Stop", "--weird"))) {
      ProcessBuilder pb = new ProcessBuilder(launcher.toString());
      pb.command().addAll(args);
      env(pb.environment(), fresh);
      Path out = Files.createTempFile(tmp, "out", ".txt");
      pb.redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process p = pb.start();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), args.toString());
      assertEquals("{}", Files.readString(out).strip(), args.toString());
    }
  }
}
